// Copy buttons (citations): the text of the element named by data-copy goes to the clipboard. Loaded on every
// page from base.html, it does nothing where there is no such button.
(function () {
  "use strict";
  document.querySelectorAll("button.copy[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var source = document.getElementById(button.dataset.copy);
      var done = function () { button.textContent = "Copied"; setTimeout(function () { button.textContent = "Copy"; }, 2000); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(source.value).then(done);
      } else {  // plain http on another host: select and copy
        source.select();
        if (document.execCommand("copy")) { done(); }
      }
    });
  });
})();
