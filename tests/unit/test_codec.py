"""The store's codec agrees with boto3's serializer on every shape the store writes."""

from __future__ import annotations

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from hypothesis import given
from hypothesis import strategies as st

from kado.store.kernel import codec

scalars = st.one_of(st.none(), st.booleans(), st.integers(-(10**15), 10**15), st.text())
string_sets = st.frozensets(st.text(), min_size=1, max_size=4).map(set)


def _nested(leaves):
    return st.recursive(
        leaves,
        lambda inner: st.one_of(st.lists(inner, max_size=4),
                                st.dictionaries(st.text(min_size=1, max_size=8), inner,
                                                max_size=4)),
        max_leaves=12)


values = _nested(st.one_of(scalars, string_sets))
values_without_sets = _nested(scalars)


def _comparable(attribute):
    # boto3 keeps set order as given; DynamoDB does not care, so neither do we.
    if isinstance(attribute, dict) and "SS" in attribute:
        return {"SS": sorted(attribute["SS"])}
    if isinstance(attribute, dict) and "M" in attribute:
        return {"M": {k: _comparable(v) for k, v in attribute["M"].items()}}
    if isinstance(attribute, dict) and "L" in attribute:
        return {"L": [_comparable(v) for v in attribute["L"]]}
    return attribute


@given(values)
def test_dump_matches_boto3(value):
    assert _comparable(codec.dump_value(value)) == _comparable(TypeSerializer().serialize(value))


@given(values_without_sets)
def test_load_reads_back_what_boto3_reads(value):
    attribute = TypeSerializer().serialize(value)
    ours = codec.load_value(attribute)
    theirs = TypeDeserializer().deserialize(attribute)
    assert ours == _plain(theirs)


@given(string_sets)
def test_string_sets_read_back_as_their_members(value):
    assert sorted(codec.load_value(TypeSerializer().serialize(value))) == sorted(value)


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return int(value) if hasattr(value, "to_integral_value") else value
