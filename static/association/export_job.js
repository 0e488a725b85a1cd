// An export job's page follows the job: the rows written and the progress bar are
// refreshed from its progress.json every two seconds, and the page reloads once the job
// has finished, to show the download link (or the error). Without JavaScript, reloading
// the page shows the same.
(function () {
  "use strict";
  var INTERVAL = 2000;
  var box = document.querySelector("[data-job-progress]");
  if (!box) {
    return;
  }

  function apply(data) {
    box.querySelectorAll("[data-job-field]").forEach(function (element) {
      var value = data[element.getAttribute("data-job-field")];
      element.textContent = value === null || value === undefined ? "…" : String(value);
    });
    var bar = box.querySelector("progress");
    if (bar) {
      bar.value = data.percent;
    }
  }

  function refresh() {
    fetch(box.getAttribute("data-job-progress"), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (!data) {
          return;
        }
        apply(data);
        if (data.finished) {
          window.location.reload();
        } else {
          window.setTimeout(refresh, INTERVAL);
        }
      })
      .catch(function () {
        window.setTimeout(refresh, INTERVAL);
      });
  }

  window.setTimeout(refresh, INTERVAL);
})();
