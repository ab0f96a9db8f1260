-- Vouchers redeemed at each merchant's tills per day (UTC): redemptions, what they took
-- (minor units) and the distinct members served, each fact counted once. Redemptions
-- recorded before facts named their merchant are counted under no merchant.
SELECT coalesce(merchant_id, '') AS merchant_id, day,
       count(*) AS redemptions,
       sum(amount) AS amount,
       count(DISTINCT member_id) AS members
FROM (SELECT DISTINCT id, merchant_id, day, amount, member_id
      FROM voucher_redeemed_v1
      WHERE program = ?) AS once
GROUP BY 1, day
ORDER BY 1, day
