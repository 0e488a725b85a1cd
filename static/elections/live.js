// Live figures without reloading: every element with data-live-url is refreshed from that
// JSON endpoint every few seconds. Children with data-live-field="name" receive data[name] as
// text; data-live-toggle="key" sets the classes live-yes / live-no from data[key]. The page
// shows the same figures without JavaScript; reloading it updates them.
(function () {
  "use strict";
  var INTERVAL = 5000;

  function apply(box, data) {
    box.querySelectorAll("[data-live-field]").forEach(function (element) {
      var key = element.getAttribute("data-live-field");
      if (Object.prototype.hasOwnProperty.call(data, key)) {
        element.textContent = String(data[key]);
      }
    });
    var toggle = box.getAttribute("data-live-toggle");
    if (toggle && Object.prototype.hasOwnProperty.call(data, toggle)) {
      box.classList.toggle("live-yes", Boolean(data[toggle]));
      box.classList.toggle("live-no", !data[toggle]);
    }
  }

  function refresh(box) {
    if (document.hidden) {
      return;
    }
    fetch(box.getAttribute("data-live-url"), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data) {
          apply(box, data);
        }
      })
      .catch(function () {
        // Offline for a moment: keep the last figures and try again at the next tick.
      });
  }

  document.querySelectorAll("[data-live-url]").forEach(function (box) {
    window.setInterval(function () {
      refresh(box);
    }, INTERVAL);
  });
})();
