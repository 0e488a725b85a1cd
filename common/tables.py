"""The one table of every page: `{% table %}` with its columns, rows and cells.

A template declares its columns once and writes each row's cells in order; the partial
templates/_table.html draws the frame. Every cell carries its column's label
(`data-label`), so that below the phone breakpoint each row reflows into a block of labelled
lines, the row's header cell first as its title and the key figure right after it, and no
table is wider than the screen. A table that truly must keep its columns side by side (the
secretariat's roster) says `scroll=True`: it scrolls sideways in a focusable region that
says so, with its first column fixed. Key/value lists are definition lists, not tables.

    {% load tables %}
    {% table caption=_("Votes") empty=_("No candidates.") class="tally" %}
      {% column _("Candidate") header=True %}
      {% column _("Votes") num=True key=True %}
      {% column _("Actions") hide_label=True %}
      {% for candidate in candidates %}
        {% row class="is-elected" data_candidate=candidate.name %}
          {% cell %}{{ candidate.name }}{% endcell %}
          {% cell %}{{ candidate.votes }}{% endcell %}
          {% cell %}<form>…</form>{% endcell %}
        {% endrow %}
      {% endfor %}
      {% row footer=True %}{% cell colspan=3 %}…{% endcell %}{% endrow %}
    {% endtable %}

Column options: `header` (the row's header cell, `<th scope="row">`), `key` (the figure
shown first on phones), `num` (right-aligned tabular figures), `hide_label` (the header is
read by screen readers only, and phones show no label: for a column of buttons), `class`.
Row options: `footer` (the row goes into `<tfoot>`), `class`, `id`, and `data_*`
attributes (written `data-*`). Cell options: `colspan`, `class` and `data_*` attributes.
Table options: `caption`, `caption_hidden` (read by screen readers only), `empty` (the
line shown when no row was written), `scroll`, `class`, `id`.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django import template
from django.template.base import token_kwargs
from django.template.loader import render_to_string
from django.utils.html import conditional_escape, format_html, format_html_join, mark_safe

register = template.Library()

STATE = "_table_state"


@dataclass
class Column:
    label: str
    header: bool = False
    key: bool = False
    num: bool = False
    hide_label: bool = False
    css_class: str = ""

    @property
    def classes(self):
        names = [self.css_class]
        if self.key:
            names.append("cell-key")
        if self.num:
            names.append("num")
        return " ".join(name for name in names if name)

    @cached_property
    def plain_tags(self):
        """The opening and closing markup of this column's cells that take no option of
        their own (most cells): made once per table, not once per cell, which matters on
        long pages such as the bulletin board's. Equal to what CellNode writes for them."""
        classes = {"class_": self.classes}
        if self.header:
            opening = format_html("<th{}>", _attributes({"scope": "row", **classes}))
            return opening, mark_safe("</th>")  # noqa: S308
        if self.hide_label:
            return format_html("<td{}>", _attributes(classes)), mark_safe("</td>")  # noqa: S308
        attributes = _attributes({**classes, "data-label": self.label})
        opening = format_html('<td{}><div class="cell-value">', attributes)
        return opening, mark_safe("</div></td>")  # noqa: S308


@dataclass
class TableState:
    columns: list = field(default_factory=list)
    body: list = field(default_factory=list)
    footer: list = field(default_factory=list)
    cells: list | None = None
    position: int = 0

    def next_column(self, colspan):
        if self.cells is None:
            raise template.TemplateSyntaxError("{% cell %} must sit inside {% row %}.")
        if self.position >= len(self.columns):
            raise template.TemplateSyntaxError(
                f"A row has more cells than the table's {len(self.columns)} columns."
            )
        column = self.columns[self.position]
        self.position += colspan
        return column


def _attributes(attributes):
    """` name="value"` pairs for the given attributes (data_x becomes data-x), empty ones left
    out."""
    pairs = [
        (name.rstrip("_").replace("_", "-"), value)
        for name, value in attributes.items()
        if value not in (None, "", False)
    ]
    return format_html_join("", ' {}="{}"', pairs)


def _state(context, tag):
    state = context.get(STATE)
    if state is None:
        raise template.TemplateSyntaxError(f"{{% {tag} %}} must sit inside {{% table %}}.")
    return state


def _parse(parser, token, end=None):
    bits = token.split_contents()
    kwargs = token_kwargs(bits[1:], parser, support_legacy=False)
    if len(bits) > 1 and not kwargs:
        raise template.TemplateSyntaxError(f"{bits[0]} takes name=value options only.")
    nodelist = None
    if end:
        nodelist = parser.parse((end,))
        parser.delete_first_token()
    return bits, kwargs, nodelist


def _resolve(kwargs, context):
    return {name: value.resolve(context) for name, value in kwargs.items()}


class TableNode(template.Node):
    def __init__(self, kwargs, nodelist):
        self.kwargs = kwargs
        self.nodelist = nodelist

    def render(self, context):
        options = _resolve(self.kwargs, context)
        state = TableState()
        with context.push({STATE: state}):
            stray = self.nodelist.render(context)
        if stray.strip():
            raise template.TemplateSyntaxError(
                "Inside {% table %} only {% column %} and {% row %} write anything: "
                f"found {stray.strip()[:60]!r}."
            )
        body = state.body
        if not body and options.get("empty"):
            body = [
                format_html(
                    '<tr><td class="cell-empty" colspan="{}">{}</td></tr>',
                    len(state.columns),
                    options["empty"],
                )
            ]
        return render_to_string(
            "_table.html",
            {
                "columns": state.columns,
                "body": body,
                "footer": state.footer,
                "caption": options.get("caption", ""),
                "caption_hidden": options.get("caption_hidden", False),
                "scroll": options.get("scroll", False),
                "class": options.get("class", ""),
                "id": options.get("id", ""),
            },
        )


class ColumnNode(template.Node):
    def __init__(self, label, kwargs):
        self.label = label
        self.kwargs = kwargs

    def render(self, context):
        options = _resolve(self.kwargs, context)
        _state(context, "column").columns.append(
            Column(
                label=self.label.resolve(context),
                header=bool(options.get("header")),
                key=bool(options.get("key")),
                num=bool(options.get("num")),
                hide_label=bool(options.get("hide_label")),
                css_class=options.get("class", ""),
            )
        )
        return ""


class RowNode(template.Node):
    def __init__(self, kwargs, nodelist):
        self.kwargs = kwargs
        self.nodelist = nodelist

    def render(self, context):
        state = _state(context, "row")
        options = _resolve(self.kwargs, context)
        footer = options.pop("footer", False)
        state.cells, state.position = [], 0
        try:
            self.nodelist.render(context)
            cells = mark_safe("".join(state.cells))  # noqa: S308 (each cell is escaped)
        finally:
            state.cells = None
        (state.footer if footer else state.body).append(
            format_html("<tr{}>{}</tr>", _attributes(options), cells)
        )
        return ""


class CellNode(template.Node):
    def __init__(self, kwargs, nodelist):
        self.kwargs = kwargs
        self.nodelist = nodelist

    def render(self, context):
        state = _state(context, "cell")
        options = _resolve(self.kwargs, context)
        colspan = int(options.pop("colspan", None) or 1)
        column = state.next_column(colspan)
        content = self.nodelist.render(context)
        if not options and colspan == 1:
            opening, closing = column.plain_tags
            state.cells.append(opening + conditional_escape(content) + closing)
            return ""
        classes = " ".join(c for c in (column.classes, options.pop("class", "")) if c)
        attributes = {"scope": "row" if column.header else None}
        attributes.update(class_=classes, colspan=colspan if colspan > 1 else None)
        attributes.update(
            (name, value) for name, value in options.items() if name.startswith("data_")
        )
        if column.header:
            tag = "th"
        else:
            tag = "td"
            if not column.hide_label and colspan == 1:
                # On phones the label and the value sit side by side: one box for the value.
                attributes["data-label"] = column.label
                content = format_html('<div class="cell-value">{}</div>', content)
        state.cells.append(format_html("<{0}{1}>{2}</{0}>", tag, _attributes(attributes), content))
        return ""


@register.tag("table")
def do_table(parser, token):
    _bits, kwargs, nodelist = _parse(parser, token, "endtable")
    return TableNode(kwargs, nodelist)


@register.tag("column")
def do_column(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% column %} needs its label first.")
    label = parser.compile_filter(bits[1])
    kwargs = token_kwargs(bits[2:], parser, support_legacy=False)
    if len(bits) > 2 and not kwargs:
        raise template.TemplateSyntaxError("{% column %} takes name=value options after it.")
    return ColumnNode(label, kwargs)


@register.tag("row")
def do_row(parser, token):
    _bits, kwargs, nodelist = _parse(parser, token, "endrow")
    return RowNode(kwargs, nodelist)


@register.tag("cell")
def do_cell(parser, token):
    _bits, kwargs, nodelist = _parse(parser, token, "endcell")
    return CellNode(kwargs, nodelist)
