// The check-in desk at the door (templates/association/meeting_attendance.html). Without
// JavaScript the page works as it is: the search is a GET filter and each button posts its
// form, then the page comes back. With it:
// - typing in the search box filters the roll as you type (the same GET filter, fetched);
// - a check-in or an undo posts the same form with fetch; the server answers as it does
//   without script (a redirect to this page, same filter, with its message), and the roll,
//   the count and the message are taken from that answer, so one rule draws the page;
// - after a check-in, the message says who was checked in, with an undo button beside it.
// The desk's data-state attribute is "ready" when idle, "busy" while a request runs: tests
// wait for it, never for time.
(function () {
  "use strict";
  var desk = document.getElementById("check-in-desk");
  if (!desk || !window.fetch || !window.DOMParser) {
    return;
  }
  var search = document.getElementById("roll-search");
  var searchForm = document.getElementById("roll-search-form");
  var status = document.getElementById("desk-status");
  var pending = null; // the AbortController of the search being fetched
  var timer = null;
  var busy = 0;

  function setBusy(change) {
    busy += change;
    desk.setAttribute("data-state", busy > 0 ? "busy" : "ready");
    document.getElementById("roll-results").setAttribute("aria-busy", busy > 0 ? "true" : "false");
  }

  function swapFrom(doc, id) {
    var fresh = doc.getElementById(id);
    var current = document.getElementById(id);
    if (fresh && current) {
      current.replaceWith(document.importNode(fresh, true));
    }
  }

  // Take the roll and the count from a page the server drew; return its messages.
  function takePage(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    swapFrom(doc, "roll-results");
    var count = doc.getElementById("desk-count");
    var current = document.getElementById("desk-count");
    if (count && current) {
      // Keep the element (live.js refreshes it), take its figures and state.
      current.innerHTML = count.innerHTML;
      current.className = count.className;
    }
    return Array.prototype.map.call(doc.querySelectorAll(".messages .message"), function (m) {
      return { text: m.textContent.trim(), error: m.classList.contains("message-error") };
    });
  }

  function say(notes, undo) {
    status.textContent = "";
    notes.forEach(function (note) {
      var line = document.createElement("p");
      line.className = "message " + (note.error ? "message-error" : "message-success");
      line.textContent = note.text;
      if (undo && !note.error) {
        line.appendChild(document.createTextNode(" "));
        line.appendChild(undo);
      }
      status.appendChild(line);
    });
  }

  function filter(immediately) {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      if (pending) {
        pending.abort();
      }
      pending = new AbortController();
      var url = new URL(searchForm.action || window.location.href, window.location.href);
      url.search = "";
      if (search.value.trim()) {
        url.searchParams.set("q", search.value.trim());
      }
      setBusy(1);
      fetch(url, { credentials: "same-origin", signal: pending.signal })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(String(response.status));
          }
          return response.text();
        })
        .then(function (html) {
          takePage(html);
          window.history.replaceState(null, "", url.pathname + url.search);
        })
        .catch(function () {
          // Aborted by a newer search, or offline: the last roll stays on screen.
        })
        .finally(function () {
          setBusy(-1);
        });
    }, immediately ? 0 : 200);
  }

  function undoButton(form) {
    var undoUrl = form.getAttribute("data-undo-url");
    if (!undoUrl) {
      return null;
    }
    var undo = document.createElement("button");
    undo.type = "button";
    undo.className = "button button-secondary";
    undo.id = "desk-undo";
    undo.textContent = desk.getAttribute("data-undo-label");
    undo.addEventListener("click", function () {
      var data = new FormData(form);
      post(undoUrl, data, null);
    });
    return undo;
  }

  // This page with the filter in the search box (and the page number when there is none).
  function here() {
    var url = new URL(window.location.href);
    if (search.value.trim()) {
      url.search = "";
      url.searchParams.set("q", search.value.trim());
    } else {
      url.searchParams.delete("q");
    }
    return url.pathname + url.search;
  }

  function post(url, data, undo) {
    window.clearTimeout(timer);
    if (pending) {
      pending.abort();
    }
    setBusy(1);
    // The server redirects to `next`: the roll as filtered now.
    data.set("next", here());
    fetch(url, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.text();
      })
      .then(function (html) {
        say(takePage(html), undo);
        window.history.replaceState(null, "", here());
      })
      .catch(function () {
        // Whether it was written is unknown: show the roll as it is now.
        say([{ text: desk.getAttribute("data-offline"), error: true }], null);
        filter(true);
      })
      .finally(function () {
        setBusy(-1);
      });
  }

  search.addEventListener("input", function () {
    filter(false);
  });
  searchForm.addEventListener("submit", function (event) {
    event.preventDefault();
    filter(true);
  });
  desk.addEventListener("submit", function (event) {
    var form = event.target;
    var action = form.getAttribute("data-desk-action");
    if (!action) {
      return;
    }
    event.preventDefault();
    form.querySelectorAll("button").forEach(function (button) {
      button.disabled = true; // one tap, one check-in
    });
    post(form.action, new FormData(form), action === "check-in" ? undoButton(form) : null);
  });
  desk.setAttribute("data-state", "ready");
})();
