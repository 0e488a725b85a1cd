/* Board-election ballot: at most N marks per position, checked while the voter marks.
 *
 * Each position is a <fieldset data-max-marks="N"> inside the ballot's form; a mark is a checked checkbox, or a
 * checked radio button with the value "yes" (同意). The page works without this script: the
 * server refuses an over-marked position with the same message. The script only tells the
 * voter earlier, keeps a live count, and stops the form from being sent while a position has
 * too many marks. Texts come from data attributes, already translated by the template.
 */
(function () {
  "use strict";

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : match;
    });
  }

  function marksOf(fieldset) {
    var inputs = fieldset.querySelectorAll("input[type=checkbox], input[type=radio][value=yes]");
    var count = 0;
    for (var i = 0; i < inputs.length; i += 1) {
      if (inputs[i].checked) {
        count += 1;
      }
    }
    return count;
  }

  function update(fieldset) {
    var max = parseInt(fieldset.getAttribute("data-max-marks"), 10);
    var count = marksOf(fieldset);
    var counter = fieldset.querySelector("[data-ballot-counter]");
    var warning = fieldset.querySelector("[data-ballot-warning]");
    var over = count > max;
    if (counter) {
      counter.textContent = format(counter.getAttribute("data-template"), { count: count, max: max });
      counter.hidden = false;
    }
    if (warning) {
      warning.textContent = over
        ? format(warning.getAttribute("data-template"), { count: count, max: max })
        : "";
      warning.hidden = !over;
    }
    fieldset.classList.toggle("ballot-over", over);
    if (over) {
      fieldset.setAttribute("aria-invalid", "true");
    } else {
      fieldset.removeAttribute("aria-invalid");
    }
    return !over;
  }

  function init(form) {
    var fieldsets = form.querySelectorAll("fieldset[data-max-marks]");
    if (!fieldsets.length) {
      return;
    }
    Array.prototype.forEach.call(fieldsets, function (fieldset) {
      update(fieldset);
      fieldset.addEventListener("change", function () {
        update(fieldset);
      });
    });
    form.addEventListener("submit", function (event) {
      var first = null;
      Array.prototype.forEach.call(fieldsets, function (fieldset) {
        if (!update(fieldset) && first === null) {
          first = fieldset;
        }
      });
      if (first !== null) {
        event.preventDefault();
        var warning = first.querySelector("[data-ballot-warning]");
        (warning || first).setAttribute("tabindex", "-1");
        (warning || first).focus();
      }
    });
  }

  function start() {
    var seen = [];
    var fieldsets = document.querySelectorAll("fieldset[data-max-marks]");
    Array.prototype.forEach.call(fieldsets, function (fieldset) {
      var form = fieldset.closest("form");
      if (form && seen.indexOf(form) === -1) {
        seen.push(form);
        init(form);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
