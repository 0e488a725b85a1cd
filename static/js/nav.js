// The menu is open in the HTML so that it works without JavaScript; on a phone we fold it
// away behind its "menu" button once the page has loaded.
(function () {
  var menu = document.querySelector(".nav-menu");
  if (menu && window.matchMedia("(max-width: 59.99rem)").matches) {
    menu.open = false;
  }
})();
