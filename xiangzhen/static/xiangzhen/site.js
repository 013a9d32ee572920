// Small behaviours that the pages share; everything works without them.
document.addEventListener("DOMContentLoaded", function () {
  var toggle = document.querySelector(".menu-toggle");
  var nav = document.getElementById("mainnav");
  if (toggle && nav) {
    toggle.addEventListener("click", function () {
      var open = nav.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
});

// A <select class="submit-on-change"> submits its form when changed (the language switcher):
// a listener here, since the Content-Security-Policy forbids onchange="" attributes.
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target && target.classList && target.classList.contains("submit-on-change") && target.form) {
    target.form.submit();
  }
});
