// Large-font mode (长者模式): remembered in a cookie so pages render large on the server side too.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-font-toggle]").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var on = !document.documentElement.classList.contains("large-font");
      document.documentElement.classList.toggle("large-font", on);
      document.cookie = "large_font=" + (on ? "1" : "0") + ";path=/;max-age=31536000;SameSite=Lax";
      btn.setAttribute("aria-pressed", on ? "true" : "false");
      btn.textContent = on ? "标准字体" : "长者模式（大字）";
    });
  });
});
