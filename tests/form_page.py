"""Reads a rendered assessment form as a browser would submit it."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormFields(HTMLParser):
    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.disabled = 0  # depth of disabled fieldsets we are in
        self.depth: list[bool] = []  # per open fieldset: whether it disables
        self.fields: dict[str, str] = {}
        self.textarea: str | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        if tag == "fieldset":
            self.depth.append("disabled" in attrs)
            self.disabled += "disabled" in attrs
        elif tag == "input" and not self.disabled and "name" in attrs:
            kind = attrs.get("type", "text")
            if kind == "radio":
                if "checked" in attrs:
                    self.fields[attrs["name"]] = attrs.get("value", "")
            elif kind in ("hidden", "text"):
                self.fields[attrs["name"]] = attrs.get("value", "")
        elif tag == "textarea" and not self.disabled:
            self.textarea = attrs["name"]
            self.text = []

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "textarea" and self.textarea:
            text = "".join(self.text)
            # HTML drops one line break right after <textarea>.
            self.fields[self.textarea] = text[1:] if text.startswith("\n") else text
            self.textarea = None
        elif tag == "fieldset" and self.depth:
            self.disabled -= self.depth.pop()
        elif tag == "form":
            self.inside = False

    def handle_data(self, data):
        if self.textarea:
            self.text.append(data)


def form_fields(html: str, form_id: str = "assessment-form") -> dict[str, str]:
    """The fields the form would submit (checked radios, hidden inputs, textareas), without
    the submit button's own."""
    parser = _FormFields(form_id)
    parser.feed(html)
    return parser.fields
