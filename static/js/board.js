/* Progressive enhancement only: every feature here also works without JavaScript. */
(function () {
  "use strict";

  function csrfToken(form) {
    var input = form && form.querySelector("input[name=csrf_token]");
    return input ? input.value : "";
  }

  function enhancePreview(button) {
    var form = button.form;
    var editor = form.querySelector("[data-editor]");
    if (!editor) return;
    var textarea = editor.querySelector("textarea");
    var panel = editor.querySelector("[data-preview]");
    var body = editor.querySelector("[data-preview-body]");
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var data = new FormData();
      data.append("body", textarea.value);
      data.append("csrf_token", csrfToken(form));
      fetch("/preview", { method: "POST", body: data, credentials: "same-origin", headers: { "X-CSRFToken": csrfToken(form) } })
        .then(function (r) { return r.json(); })
        .then(function (json) {
          body.innerHTML = json.html || "";
          if (json.error) body.textContent = json.error;
          panel.hidden = false;
        })
        .catch(function () { form.submit(); });
    });
  }

  // The text selected inside this quote link's post, if any. Read at mousedown too: a
  // click on the link may collapse the selection before the click event runs.
  function selectionIn(link) {
    var selection = window.getSelection && window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return "";
    var body = link.closest("article") && link.closest("article").querySelector(".post-body");
    var range = selection.getRangeAt(0);
    if (!body || !body.contains(range.commonAncestorContainer)) return "";
    return selection.toString().trim();
  }

  function enhanceQuote(link) {
    var selected = "";
    link.addEventListener("mousedown", function () { selected = selectionIn(link); });
    link.addEventListener("click", function (event) {
      var textarea = document.querySelector("#reply-form textarea");
      var source = document.querySelector("template[data-quote-source='" + link.dataset.quote + "']");
      var part = selectionIn(link) || selected;
      selected = "";
      if (!textarea || !source) return;
      event.preventDefault();
      var lines = (part || source.content.textContent.trim()).split("\n");
      var quoted = "**" + link.dataset.quoteAuthor + ":**\n" +
        lines.map(function (l) { return l ? "> " + l : ">"; }).join("\n") + "\n\n";
      textarea.value = (textarea.value ? textarea.value.replace(/\s*$/, "\n\n") : "") + quoted;
      textarea.focus();
      textarea.setSelectionRange(textarea.value.length, textarea.value.length);
    });
  }

  // Markdown formatting buttons: wrap the selection (bold, italic, link) or prefix its
  // lines (list, quote). The textarea stays the real input; the buttons only type for you.
  var WRAP = { bold: ["**", "**"], italic: ["*", "*"], link: ["[", "](https://)"] };
  var PREFIX = { list: "- ", quote: "> " };

  function format(textarea, kind) {
    var start = textarea.selectionStart, end = textarea.selectionEnd;
    var value = textarea.value, selected = value.slice(start, end), text;
    if (WRAP[kind]) {
      text = WRAP[kind][0] + selected + WRAP[kind][1];
    } else {
      var lineStart = value.lastIndexOf("\n", start - 1) + 1;
      selected = value.slice(lineStart, end);
      start = lineStart;
      text = selected.split("\n").map(function (line) { return PREFIX[kind] + line; }).join("\n");
    }
    textarea.setRangeText(text, start, end, "end");
    if (kind === "link" && !selected) {
      textarea.setSelectionRange(start + 1, start + 1);  // the cursor where the words go
    } else if (kind === "link") {
      var url = start + text.length - "https://)".length;
      textarea.setSelectionRange(url, url + "https://".length);
    } else if (WRAP[kind] && !selected) {
      var middle = start + WRAP[kind][0].length;
      textarea.setSelectionRange(middle, middle);
    }
    textarea.focus();
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function enhanceToolbar(template) {
    var editor = template.closest("[data-editor]");
    var textarea = editor && editor.querySelector("textarea");
    if (!textarea) return;
    var toolbar = template.content.firstElementChild.cloneNode(true);
    textarea.parentNode.insertBefore(toolbar, textarea);
    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-md]");
      if (button) format(textarea, button.dataset.md);
    });
  }

  // A link in the error summary moves focus to its field (not only the scroll position)
  // and shows the field's label and error above it, as GOV.UK's summary does.
  function enhanceErrorLink(link) {
    link.addEventListener("click", function (event) {
      var id = decodeURIComponent(link.hash.slice(1));
      var target = id && document.getElementById(id);
      if (!target) return;
      event.preventDefault();
      var box = target.closest(".field, fieldset") || target;
      var details = target.closest("details");
      if (details) details.open = true;
      box.scrollIntoView();
      target.focus({ preventScroll: true });
    });
  }

  /* @handle completion: a list of members under the editor while typing "@ab…". */
  function enhanceMentions(textarea) {
    var list = document.createElement("ul");
    list.className = "mention-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    textarea.parentNode.insertBefore(list, textarea.nextSibling);
    var timer = null;
    function wordBeforeCaret() {
      var before = textarea.value.slice(0, textarea.selectionStart);
      var match = /(^|[\s(])@([a-z0-9._-]{1,30})$/i.exec(before);
      return match ? match[2] : null;
    }
    function choose(handle) {
      var start = textarea.selectionStart, before = textarea.value.slice(0, start);
      var at = before.lastIndexOf("@");
      textarea.value = before.slice(0, at) + "@" + handle + " " + textarea.value.slice(start);
      var caret = at + handle.length + 2;
      textarea.setSelectionRange(caret, caret);
      list.hidden = true;
      textarea.focus();
    }
    textarea.addEventListener("input", function () {
      clearTimeout(timer);
      var prefix = wordBeforeCaret();
      if (!prefix) { list.hidden = true; return; }
      timer = setTimeout(function () {
        fetch("/api/v1/handles?q=" + encodeURIComponent(prefix), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (members) {
            list.textContent = "";
            members.forEach(function (m) {
              var item = document.createElement("li");
              var button = document.createElement("button");
              button.type = "button";
              button.className = "link-button";
              button.textContent = "@" + m.handle + " — " + m.name;
              button.addEventListener("click", function () { choose(m.handle); });
              item.appendChild(button);
              list.appendChild(item);
            });
            list.hidden = members.length === 0;
          })
          .catch(function () { list.hidden = true; });
      }, 150);
    });
    textarea.addEventListener("keydown", function (event) {
      if (event.key === "Escape") list.hidden = true;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-editor] textarea").forEach(enhanceMentions);
    document.querySelectorAll("[data-preview-button]").forEach(enhancePreview);
    document.querySelectorAll("[data-quote]").forEach(enhanceQuote);
    document.querySelectorAll("template[data-md-toolbar]").forEach(enhanceToolbar);
    var summary = document.querySelector(".error-summary");
    if (summary) {
      summary.focus();
      summary.querySelectorAll("a[data-error-link]").forEach(enhanceErrorLink);
    }
  });
})();
