-- Vouchers redeemed per product and day (UTC): how many redemptions and how much they took
-- (minor units), each fact counted once. Valid on DuckDB (kado) and Athena (Trino).
SELECT product_id, day,
       count(*) AS redemptions,
       sum(amount) AS amount
FROM (SELECT DISTINCT id, product_id, day, amount
      FROM voucher_redeemed_v1
      WHERE program = ?) AS once
GROUP BY product_id, day
ORDER BY product_id, day
