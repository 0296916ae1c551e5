// "Try it": send the panel's forms with fetch and swap in the new conversation, so the
// page does not reload. Without this file every form still works as a plain POST.
"use strict";
document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.closest("[data-try-it]")) return;
  event.preventDefault();
  const data = new FormData(form);
  if (event.submitter && event.submitter.name) {
    data.append(event.submitter.name, event.submitter.value);
  }
  const response = await fetch(form.action, { method: "POST", body: data });
  if (!response.ok) {
    form.submit();
    return;
  }
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  const fresh = page.querySelector("[data-try-it]");
  const panel = document.querySelector("[data-try-it]");
  if (!fresh || !panel) return;
  panel.replaceWith(fresh);
  const input = document.getElementById("try-text");
  if (input) input.focus();
});
