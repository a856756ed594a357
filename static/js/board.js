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

  function enhanceQuote(link) {
    link.addEventListener("click", function (event) {
      var textarea = document.querySelector("#reply-form textarea");
      var source = document.querySelector("template[data-quote-source='" + link.dataset.quote + "']");
      if (!textarea || !source) return;
      event.preventDefault();
      var lines = source.content.textContent.trim().split("\n");
      var quoted = "**" + link.dataset.quoteAuthor + ":**\n" +
        lines.map(function (l) { return l ? "> " + l : ">"; }).join("\n") + "\n\n";
      textarea.value = (textarea.value ? textarea.value.replace(/\s*$/, "\n\n") : "") + quoted;
      textarea.focus();
      textarea.setSelectionRange(textarea.value.length, textarea.value.length);
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
    var summary = document.querySelector(".error-summary");
    if (summary) summary.focus();
  });
})();
