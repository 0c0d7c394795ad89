"""The per-product Context: children tables and shared views read what ElementPath would."""

from __future__ import annotations

import datetime

from lxml import etree

from onixfeed.validate.checks import MessageInfo
from onixfeed.validate.rules import Context, child, child_text, children_at
from onixfeed.validate.rules.territories import territory_views

PRODUCT = b"""<Product>
  <!-- a comment among the children -->
  <ProductSupply><Market><Territory><CountriesIncluded>GB</CountriesIncluded></Territory></Market>
    <SupplyDetail><Price><PriceAmount>1</PriceAmount></Price><?pi x?><Price><PriceAmount/></Price></SupplyDetail>
    <SupplyDetail><Price><PriceAmount>3</PriceAmount></Price></SupplyDetail></ProductSupply>
  <ProductSupply><SupplyDetail><Price><PriceAmount>4</PriceAmount></Price></SupplyDetail></ProductSupply>
  <x:ProductSupply xmlns:x="urn:other"/>
  <Territory><RegionsIncluded>WORLD</RegionsIncluded><CountriesExcluded>US</CountriesExcluded><RegionsIncluded>ECZ</RegionsIncluded></Territory>
</Product>"""


def _context() -> Context:
    return Context(MessageInfo("f.xml", "3.0", "reference"), datetime.date(2026, 6, 15))


def test_children_tables_agree_with_iterchildren():
    product = etree.fromstring(PRODUCT)
    context = _context()
    for element in product.iter(etree.Element):
        for name in {below.tag for below in element.iterchildren(etree.Element)} | {"Absent", "ProductSupply"}:
            assert context.child(element, name) is child(element, name)
            assert context.child_text(element, name) == child_text(element, name)
            assert context.children(element).get(name, []) == list(element.iterchildren(name))


def test_children_at_agrees_with_findall():
    product = etree.fromstring(PRODUCT)
    context = _context()
    path = ("ProductSupply", "SupplyDetail", "Price", "PriceAmount")
    found = context.children_at(product, *path)
    assert found == children_at(product, *path) == product.findall("/".join(path))
    assert [element.text for element in found] == ["1", None, "3", "4"]


def test_territory_view_takes_the_first_of_each_list():
    product = etree.fromstring(PRODUCT)
    context = _context()
    views = list(territory_views(product, context).values())
    assert [view.included for view in views] == [("GB",), ()]  # tuples: shared between products with the same list
    world = views[1]
    assert (world.world, world.regions, world.excluded, world.countries_in) == (True, ("WORLD",), ("US",), None)
