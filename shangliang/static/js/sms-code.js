// The "获取验证码" button (templates/accounts/_code_request.html): once the server says a code was
// sent (an element with data-resend-in, swapped in by htmx under the button), the button stays
// disabled and counts down the seconds until another code may be asked for. The labels come from
// the button's data attributes, so they are translated with the page. No inline script (CSP).
(function () {
  "use strict";

  if (window.shangliangSmsCode) {
    return; // the partial may be included more than once on a page
  }
  window.shangliangSmsCode = true;

  function countDown(status) {
    var seconds = parseInt(status.getAttribute("data-resend-in"), 10);
    status.removeAttribute("data-resend-in");
    var box = status.closest("[data-code-request]");
    var button = box && box.querySelector("[data-code-button]");
    if (!button || !(seconds > 0)) {
      return;
    }
    var suffix = button.getAttribute("data-wait-suffix") || "";
    var again = button.getAttribute("data-again-label") || button.textContent;
    if (button.countdown) {
      window.clearInterval(button.countdown);
    }
    button.disabled = true;
    button.textContent = seconds + suffix;
    button.countdown = window.setInterval(function () {
      seconds -= 1;
      if (seconds <= 0) {
        window.clearInterval(button.countdown);
        button.countdown = null;
        button.disabled = false;
        button.textContent = again;
        return;
      }
      button.textContent = seconds + suffix;
    }, 1000);
  }

  function scan(root) {
    var scope = root && root.querySelectorAll ? root : document;
    Array.prototype.forEach.call(scope.querySelectorAll("[data-resend-in]"), countDown);
  }

  // htmx re-enables the button it disabled during the request (hx-disabled-elt) after the swap;
  // start counting once it has settled, so the countdown keeps it disabled.
  document.addEventListener("htmx:afterSettle", function (event) {
    scan(event.target);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      scan(document);
    });
  } else {
    scan(document);
  }
})();
