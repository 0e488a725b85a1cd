"""{% table %}: every cell carries its column's label; rows, footers and empty tables."""

import pytest
from django.template import Context, Template, TemplateSyntaxError


def render(source, **context):
    return Template("{% load tables %}" + source).render(Context(context))


TALLY = """{% table caption="Votes" class="tally" empty="Nobody." %}
  {% column "Candidate" header=True %}{% column "Votes" num=True key=True %}
  {% column "Actions" hide_label=True %}
  {% for name, votes in rows %}
    {% row data_status="elected" %}{% cell %}{{ name }}{% endcell %}
      {% cell %}{{ votes }}{% endcell %}{% cell %}<button>x</button>{% endcell %}{% endrow %}
  {% endfor %}
  {% row footer=True %}{% cell %}Total{% endcell %}{% cell colspan=2 %}9{% endcell %}{% endrow %}
{% endtable %}"""


def test_cells_carry_their_column_label_and_the_header_cell_is_a_row_header():
    html = render(TALLY, rows=[("<b>王</b>", 5)])
    assert '<th scope="row">&lt;b&gt;王&lt;/b&gt;</th>' in html
    assert (
        '<td class="cell-key num" data-label="Votes"><div class="cell-value">5</div></td>' in html
    )
    # A column of buttons has a label for screen readers only, and none on phones.
    assert '<span class="visually-hidden">Actions</span>' in html
    assert "<td><button>x</button></td>" in html
    assert '<tr data-status="elected">' in html
    assert "<caption>Votes</caption>" in html
    assert '<table class="tally">' in html
    assert '<div class="table-reflow">' in html


def test_footer_rows_go_to_tfoot_and_a_spanning_cell_has_no_label():
    html = render(TALLY, rows=[])
    tfoot = html[html.index("<tfoot>") :]
    assert '<th scope="row">Total</th><td class="cell-key num" colspan="2">9</td>' in tfoot


def test_a_table_without_rows_says_so_across_all_columns():
    html = render(TALLY, rows=[])
    assert '<td class="cell-empty" colspan="3">Nobody.</td>' in html


def test_a_wide_table_scrolls_in_a_labelled_focusable_region_that_says_so():
    html = render(
        '{% table caption="Members" scroll=True %}{% column "Name" header=True %}'
        "{% row %}{% cell %}A{% endcell %}{% endrow %}{% endtable %}"
    )
    assert (
        '<div class="table-wide-scroller" role="region" tabindex="0" aria-label="Members">' in html
    )
    assert "table-wide-hint" in html


@pytest.mark.parametrize(
    "source",
    [
        '{% table %}{% column "A" %}{% row %}{% cell %}1{% endcell %}{% cell %}2{% endcell %}'
        "{% endrow %}{% endtable %}",
        '{% table %}{% column "A" %}{% cell %}1{% endcell %}{% endtable %}',
        '{% table %}{% column "A" %}stray text{% endtable %}',
        "{% row %}{% cell %}1{% endcell %}{% endrow %}",
    ],
    ids=["more cells than columns", "cell outside a row", "stray text", "row outside a table"],
)
def test_mistakes_in_a_table_are_refused(source):
    with pytest.raises(TemplateSyntaxError):
        render(source)
