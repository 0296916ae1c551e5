// An update's status page: every few seconds, read its counts.json and write the numbers
// into the table (the server rendered them on load, so without script they are still
// there, as of then). Pauses while the tab is hidden.
(function () {
  var table = document.querySelector("[data-counts-url]");
  if (!table || !window.fetch) {
    return;
  }
  var url = table.getAttribute("data-counts-url");
  var EVERY = 2000;
  function show(counts) {
    Object.keys(counts).forEach(function (name) {
      var cell = table.querySelector('[data-count="' + name + '"]');
      if (cell && cell.textContent !== String(counts[name])) {
        cell.textContent = String(counts[name]);
      }
    });
  }
  function look() {
    if (document.hidden) {
      window.setTimeout(look, EVERY);
      return;
    }
    window
      .fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (counts) {
        if (counts) {
          show(counts);
        }
      })
      .catch(function () {})
      .then(function () {
        window.setTimeout(look, EVERY);
      });
  }
  window.setTimeout(look, EVERY);
})();
