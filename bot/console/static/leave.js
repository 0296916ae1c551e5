// "Leave this page quickly": go to the link's page with location.replace, so this page
// leaves no entry in the history (Back does not return here). Without script the link
// still goes there, as a plain link.
(function () {
  var links = document.querySelectorAll("a.leave");
  for (var i = 0; i < links.length; i++) {
    links[i].addEventListener("click", function (event) {
      event.preventDefault();
      window.location.replace(this.href);
    });
  }
})();
