// Keyboard helpers shared by the page's widgets that keep Tab for themselves (the editor
// indents with it, the terminal completes with it): Escape, then Tab (or Shift+Tab) moves focus
// to the next (or previous) control outside the widget, so a keyboard user is never held in it.
(function () {
  "use strict";

  // Focuses the next (or previous) focusable element of the page outside `host`.
  function focusBeside(host, forward) {
    const selector = "a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), " +
      "textarea:not([disabled]), summary, [tabindex]:not([tabindex='-1'])";
    const outside = Array.from(document.querySelectorAll(selector)).filter(function (el) {
      return !host.contains(el) && el.getClientRects().length > 0;
    });
    const side = forward ? Node.DOCUMENT_POSITION_FOLLOWING : Node.DOCUMENT_POSITION_PRECEDING;
    const candidates = outside.filter(function (el) { return host.compareDocumentPosition(el) & side; });
    // Past the page's last control Tab wraps to its first (and Shift+Tab back), as the page's
    // own tab order would cycle, so leaving always lands somewhere.
    const target = forward ? candidates[0] || outside[0] : candidates[candidates.length - 1] || outside[outside.length - 1];
    if (target) target.focus();
  }

  const MODIFIERS = ["Shift", "Control", "Alt", "Meta"];

  window.kubelabKeys = {
    focusBeside: focusBeside,
    // A keydown filter for a widget inside `host`: returns true when the key was the Tab of
    // Escape-then-Tab and focus has moved out (the caller then stops the event, so the widget
    // does not indent or complete). A modifier alone (the Shift of Shift+Tab) keeps Escape armed.
    escapeThenTab: function (host) {
      let leaving = false;
      return function (e) {
        if (e.key === "Escape") { leaving = true; return false; }
        if (MODIFIERS.indexOf(e.key) >= 0) return false;
        const leave = leaving && e.key === "Tab" && !e.ctrlKey && !e.altKey && !e.metaKey;
        leaving = false;
        if (leave) focusBeside(host, !e.shiftKey);
        return leave;
      };
    },
  };
})();
