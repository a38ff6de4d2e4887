// The console's only script besides htmx: nothing here is needed for the pages to work.
// Buttons that ask for confirmation carry data-confirm (htmx's hx-confirm needs no script of ours).
document.addEventListener("submit", (event) => {
  const form = event.target;
  const message = form instanceof window.HTMLFormElement ? form.dataset.confirm : undefined;
  if (message && !window.confirm(message)) event.preventDefault();
});
