// Enhancements only: every page works without this file.
(function () {
  "use strict";

  // The site menu and the search filters are disclosures on small screens only: open them on
  // wide screens (CSS already shows their content there where ::details-content is supported).
  var wide = window.matchMedia("(min-width: 801px)");
  var syncDisclosures = function () {
    document.querySelectorAll("[data-site-menu], [data-filters]").forEach(function (disclosure) {
      if (disclosure.open !== wide.matches) disclosure.open = wide.matches;  // no needless relayout
    });
  };
  syncDisclosures();
  if (wide.addEventListener) wide.addEventListener("change", syncDisclosures);

  // Close open header menus on Escape or a click elsewhere.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      menu.removeAttribute("open");
      menu.querySelector("summary").focus();
    });
  });

  // Registration: show only the institution fields that match the chosen option.
  var form = document.querySelector("[data-register-form]");
  if (form) {
    var radios = form.querySelectorAll("input[name='institution_mode']");
    var sync = function () {
      var chosen = form.querySelector("input[name='institution_mode']:checked");
      form.querySelectorAll("[data-institution-mode]").forEach(function (group) {
        group.hidden = chosen && group.getAttribute("data-institution-mode") !== chosen.value;
      });
    };
    radios.forEach(function (radio) { radio.addEventListener("change", sync); });
    sync();
  }

  // Listing form: show only the section of the chosen kind of cooperation, none before a kind
  // is chosen. A section that holds an error message stays visible, so no error is hidden.
  var listingForm = document.querySelector("[data-listing-form]");
  if (listingForm) {
    var syncKind = function () {
      var chosen = listingForm.querySelector("input[name='kind']:checked");
      listingForm.querySelectorAll("[data-kind]").forEach(function (group) {
        var shown = !!chosen && group.getAttribute("data-kind") === chosen.value;
        group.hidden = !shown && !group.querySelector(".field-error");
      });
    };
    listingForm.querySelectorAll("input[name='kind']").forEach(function (radio) {
      radio.addEventListener("change", syncKind);
    });
    syncKind();
  }

  // Checkbox lists (countries): a filter box narrows the visible boxes to the labels containing
  // the typed text, ignoring case and accents. Hidden boxes keep their state and are sent.
  var fold = function (text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLocaleLowerCase();
  };
  document.querySelectorAll("[data-checklist]").forEach(function (checklist) {
    var filterRow = checklist.querySelector("[data-checklist-filter]");
    if (!filterRow) return;
    var input = filterRow.querySelector("input");
    var items = Array.prototype.map.call(checklist.querySelectorAll("[data-checklist-item]"), function (item) {
      return {element: item, text: fold(item.textContent + " " + item.querySelector("input").value)};
    });
    var empty = checklist.querySelector("[data-checklist-empty]");
    var apply = function () {
      var wanted = fold(input.value.trim());
      var any = false;
      items.forEach(function (item) {
        var match = !wanted || item.text.indexOf(wanted) !== -1;
        item.element.hidden = !match;
        any = any || match;
      });
      checklist.querySelectorAll("[data-checklist-group]").forEach(function (group) {
        group.hidden = !group.querySelector("[data-checklist-item]:not([hidden])");
      });
      if (empty) empty.hidden = any;
    };
    // Enter in the filter narrows the list; it must not send the whole form.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();
    });
    input.addEventListener("input", apply);
    filterRow.hidden = false;
    apply();
  });

  // Subjects: suggestions from the thesaurus as the author types, in the page's language.
  document.querySelectorAll("input[data-complete-url]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var text = input.value.trim();
      if (!list || text.length < 2) return;
      timer = setTimeout(function () {
        fetch(input.getAttribute("data-complete-url") + "?q=" + encodeURIComponent(text), {credentials: "same-origin"})
          .then(function (response) { return response.ok ? response.json() : []; })
          .then(function (concepts) {
            list.textContent = "";
            concepts.forEach(function (concept) {
              var option = document.createElement("option");
              option.value = concept.label;
              if (concept.also && concept.also !== concept.label) option.label = concept.also;
              list.appendChild(option);
            });
          })
          .catch(function () {});
      }, 150);
    });
  });

  // Moderation: single-key shortcuts (A approves, N opens the next item) outside text fields.
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT")) return;
    var shortcut = document.querySelector("[data-shortcut='" + event.key.toLowerCase() + "']");
    if (shortcut) {
      event.preventDefault();
      shortcut.click();
    }
  });
})();
