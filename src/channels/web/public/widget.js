// The chat bubble for other sites: <script src="https://BOT/widget.js" defer></script>. It opens the bot's
// own /chat page in a frame; the page itself refuses to be framed by sites not in WEB_ALLOWED_ORIGINS.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.__nsclChat) return;
  window.__nsclChat = true;
  var base = new URL(script.src).origin;
  var allowed = /*ALLOWED*/[];
  if (allowed.indexOf(location.origin) < 0) {
    console.warn("NSCL chat: this site (" + location.origin + ") is not allowed to embed the chat (WEB_ALLOWED_ORIGINS).");
    return;
  }
  var labels = /*LABELS*/{};
  var lang = (document.documentElement.lang || navigator.language || "vi").slice(0, 2).toLowerCase();
  var text = labels[lang] || labels.vi;
  var open = false;
  var frame = null;
  var button = document.createElement("button");
  button.type = "button";
  button.id = "nscl-chat-button";
  button.textContent = text.open;
  button.setAttribute("aria-expanded", "false");
  button.style.cssText = "position:fixed;right:16px;bottom:16px;z-index:2147483000;min-height:48px;padding:0 18px;border:0;border-radius:24px;background:#0b4f8a;color:#fff;font:600 16px system-ui,sans-serif;box-shadow:0 2px 8px rgba(0,0,0,.3);cursor:pointer";
  function place() {
    if (!frame) return;
    var small = window.innerWidth < 480;
    frame.style.cssText = "position:fixed;z-index:2147483000;border:1px solid #c9d1da;background:#fff;box-shadow:0 4px 16px rgba(0,0,0,.25);" +
      (small ? "left:0;right:0;bottom:72px;width:100%;height:calc(100% - 88px);border-radius:0" : "right:16px;bottom:76px;width:380px;height:560px;max-height:calc(100% - 96px);border-radius:12px");
    frame.hidden = !open;
  }
  button.addEventListener("click", function () {
    open = !open;
    if (!frame) {
      frame = document.createElement("iframe");
      frame.id = "nscl-chat-frame";
      frame.title = text.title;
      frame.src = base + "/chat?embed=1";
      document.body.appendChild(frame);
    }
    button.textContent = open ? text.close : text.open;
    button.setAttribute("aria-expanded", String(open));
    place();
    if (open) frame.focus();
  });
  window.addEventListener("resize", place);
  document.body.appendChild(button);
})();
