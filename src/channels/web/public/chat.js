// The web chat page: one WebSocket to the bot; every text is put in the page as text (textContent), never as HTML.
(function () {
  "use strict";
  var texts = JSON.parse(document.getElementById("texts").textContent);
  var locale = document.documentElement.lang;
  var log = document.getElementById("log");
  var form = document.getElementById("composer");
  var input = document.getElementById("text");
  var status = document.getElementById("status");
  var typing = document.getElementById("typing");
  var lang = document.getElementById("lang");
  var socket = null;
  var pending = []; // frames sent but not acknowledged yet: sent again after a reconnect
  var failures = 0;
  var LINK = /(https?:\/\/[^\s<>"]+|\/files\/[A-Za-z0-9_-]{16,64})/g;

  function t(name) { return (texts[locale] || texts.vi)[name] || ""; }
  function newId() {
    var bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function applyLocale(next) {
    if (!texts[next]) return;
    locale = next;
    document.documentElement.lang = next;
    lang.value = next;
    document.querySelectorAll("[data-s]").forEach(function (el) { el.textContent = t(el.getAttribute("data-s")); });
    input.placeholder = t("placeholder");
    log.setAttribute("aria-label", t("log_label"));
    document.querySelectorAll(".choices").forEach(function (g) { g.setAttribute("aria-label", t("choices_label")); });
  }

  function setStatus(name) {
    status.setAttribute("data-s", name);
    status.textContent = t(name);
    status.className = "status " + name;
  }

  /** Text with its links made clickable; links are only http(s) or the bot's own /files/ path. */
  function textNodes(parent, text) {
    var last = 0;
    text.replace(LINK, function (match, _g, at) {
      if (at > last) parent.appendChild(document.createTextNode(text.slice(last, at)));
      var a = document.createElement("a");
      a.href = match;
      a.textContent = match;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      parent.appendChild(a);
      last = at + match.length;
      return match;
    });
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function retireButtons() {
    log.querySelectorAll(".choices").forEach(function (g) { g.remove(); });
  }

  function buttons(list, kind) {
    var group = document.createElement("div");
    group.className = "choices " + kind;
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", t("choices_label"));
    list.forEach(function (c) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = c.label;
      b.addEventListener("click", function () {
        send({ t: "choice", id: newId(), choiceId: c.id, label: c.label, lang: locale }, c.label);
        input.focus();
      });
      group.appendChild(b);
    });
    return group;
  }

  function show(entry, mine) {
    if (entry.from === "bot") retireButtons();
    var item = document.createElement("div");
    item.className = "msg " + entry.from + (mine ? " pending" : "");
    var who = document.createElement("span");
    who.className = "visually-hidden";
    who.textContent = (entry.from === "bot" ? t("bot") : t("you")) + ": ";
    item.appendChild(who);
    if (entry.text) {
      var p = document.createElement("p");
      textNodes(p, entry.text);
      item.appendChild(p);
    }
    if (entry.file) {
      var a = document.createElement("a");
      a.className = "file";
      a.href = entry.file.url;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      a.textContent = entry.file.label;
      item.appendChild(a);
    }
    log.appendChild(item);
    if (entry.choices && entry.choices.length) log.appendChild(buttons(entry.choices, "answers"));
    if (entry.shortcuts && entry.shortcuts.length) log.appendChild(buttons(entry.shortcuts, "shortcuts"));
    log.scrollTop = log.scrollHeight;
    return item;
  }

  function send(frame, shown) {
    var bubble = show({ from: "user", text: shown }, true);
    pending.push({ frame: frame, bubble: bubble });
    if (frame.t === "choice") retireButtons();
    if (socket && socket.readyState === 1) socket.send(JSON.stringify(frame));
  }

  function notice(text) {
    var p = document.createElement("p");
    p.className = "notice";
    p.setAttribute("role", "alert");
    p.textContent = text;
    log.appendChild(p);
    log.scrollTop = log.scrollHeight;
  }

  function receive(frame) {
    if (frame.t === "hello") {
      log.textContent = "";
      frame.history.forEach(function (e) { show(e, false); });
      if (frame.locale) applyLocale(frame.locale);
      pending.forEach(function (p) { log.appendChild(p.bubble); socket.send(JSON.stringify(p.frame)); });
    } else if (frame.t === "ack") {
      pending = pending.filter(function (p) {
        if (p.frame.id !== frame.id) return true;
        p.bubble.classList.remove("pending");
        return false;
      });
    } else if (frame.t === "msg") {
      show(frame.entry, false);
      if (frame.entry.locale && frame.entry.locale !== locale) applyLocale(frame.entry.locale);
    } else if (frame.t === "typing") {
      typing.hidden = !frame.on;
    } else if (frame.t === "locale") {
      applyLocale(frame.locale);
    } else if (frame.t === "error") {
      notice(frame.text);
      if (frame.id && frame.code === "busy") {
        // Not stored yet: the same message (same id) again in a moment.
        setTimeout(function () {
          pending.forEach(function (p) { if (p.frame.id === frame.id && socket && socket.readyState === 1) socket.send(JSON.stringify(p.frame)); });
        }, 3000);
      } else if (frame.id) {
        // Refused for good (too fast): the visitor may send it again.
        pending = pending.filter(function (p) {
          if (p.frame.id !== frame.id) return true;
          p.bubble.classList.add("refused");
          return false;
        });
      }
    } else if (frame.t === "erased") {
      // Their data is gone: forget the visitor id too, and start as someone new.
      fetch("/chat/forget", { method: "POST", credentials: "same-origin" }).finally(function () { if (socket) socket.close(4000, "erased"); });
    }
  }

  function connect() {
    setStatus(failures === 0 ? "connecting" : "offline");
    socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/chat/socket");
    socket.onopen = function () { failures = 0; setStatus("online"); };
    socket.onmessage = function (event) {
      try { receive(JSON.parse(event.data)); } catch { /* a frame we do not know: ignored */ }
    };
    socket.onclose = function () {
      setStatus("offline");
      typing.hidden = true;
      failures += 1;
      setTimeout(connect, Math.min(15000, 500 * Math.pow(2, Math.min(failures, 5))));
    };
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    send({ t: "text", id: newId(), text: text, lang: locale }, text);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  lang.addEventListener("change", function () {
    applyLocale(lang.value);
    if (socket && socket.readyState === 1) socket.send(JSON.stringify({ t: "locale", locale: lang.value }));
  });
  connect();
})();
