// Region picker: turns each .region-picker (a plain 12-digit code input) into cascading selects
// province → city → county → township → village, limited to the levels the field allows, plus a
// search box with suggestions (name, pinyin or initials). Reads the JSON API with the session
// cookie (GET only, so no CSRF). Without JavaScript the plain code input still works.
(function () {
  "use strict";
  if (window.XiangzhenRegionPicker) {
    return; // the widget template includes this script once per field: run it once per page
  }
  var LEVELS = ["province", "city", "county", "township", "village"];
  var LABELS = { province: "省", city: "市", county: "县", township: "乡镇", village: "村" };
  var cache = {};
  var counter = 0;

  function getJSON(url) {
    if (!cache[url]) {
      cache[url] = fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("HTTP " + response.status);
          }
          return response.json();
        })
        .catch(function (error) {
          delete cache[url];
          throw error;
        });
    }
    return cache[url];
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      node.setAttribute(key, attrs[key]);
    });
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  // Its styles are in site.css: the Content-Security-Policy refuses <style> elements made here.

  function Picker(root) {
    this.root = root;
    this.api = (root.getAttribute("data-api") || "/api/v1/regions/").replace(/\/+$/, "");
    var allowed = (root.getAttribute("data-levels") || LEVELS.join(",")).split(",").filter(function (level) {
      return LEVELS.indexOf(level) >= 0;
    });
    this.allowed = allowed.length ? allowed : LEVELS.slice();
    this.deepest = Math.max.apply(
      null,
      this.allowed.map(function (level) {
        return LEVELS.indexOf(level);
      })
    );
    this.input = root.querySelector("input[name]");
    this.selects = [];
    this.suggestions = [];
    this.active = -1;
    this.timer = null;
    this.build();
  }

  Picker.prototype.build = function () {
    var self = this;
    var id = "region-picker-" + ++counter;
    var oldLabel = this.root.querySelector(".region-picker-label");
    if (oldLabel) {
      oldLabel.remove();
    }
    this.input.type = "hidden";

    var searchBox = el("div", { class: "region-picker-search" });
    this.search = el("input", {
      type: "search",
      role: "combobox",
      "aria-autocomplete": "list",
      "aria-expanded": "false",
      "aria-controls": id + "-list",
      "aria-label": "搜索区划",
      autocomplete: "off",
      placeholder: "搜索区划：名称、拼音或首字母（如 十八洞 / sbd）",
    });
    if (this.input.id) {
      // keep the field's <label for=…> pointing at something the user can type into
      this.search.id = this.input.id + "-search";
      var label = document.querySelector('label[for="' + this.input.id + '"]');
      if (label) {
        label.setAttribute("for", this.search.id);
      }
    }
    this.list = el("ul", { id: id + "-list", role: "listbox", class: "region-picker-suggestions", hidden: "" });
    searchBox.appendChild(this.search);
    searchBox.appendChild(this.list);
    this.selectBox = el("div", { class: "region-picker-selects" });
    this.status = el("span", { class: "region-picker-status muted", "aria-live": "polite" });
    this.root.appendChild(searchBox);
    this.root.appendChild(this.selectBox);
    this.root.appendChild(this.status);

    this.search.addEventListener("input", function () {
      clearTimeout(self.timer);
      self.timer = setTimeout(function () {
        self.suggest(self.search.value.trim());
      }, 250);
    });
    this.search.addEventListener("keydown", function (event) {
      self.onKey(event);
    });
    this.search.addEventListener("blur", function () {
      setTimeout(function () {
        self.closeList();
      }, 200);
    });

    var code = (this.input.value || "").trim();
    if (/^\d{12}$/.test(code)) {
      this.selectPath(code);
    } else {
      this.loadLevel(0, null, null);
      this.showStatus(null);
    }
  };

  Picker.prototype.fail = function () {
    // The API is unreachable: fall back to the plain code input.
    this.input.type = "text";
    this.status.textContent = "区划数据加载失败，请直接填写 12 位区划代码";
  };

  // Fill select number `depth` with the children of `parentCode` (provinces when null), selecting `selected`.
  Picker.prototype.loadLevel = function (depth, parentCode, selected) {
    var self = this;
    var url = parentCode ? this.api + "/" + parentCode + "/children" : this.api + "/";
    return getJSON(url).then(
      function (items) {
        self.truncate(depth);
        if (!items.length) {
          return null;
        }
        var levels = [];
        items.forEach(function (item) {
          if (levels.indexOf(item.level) < 0) {
            levels.push(item.level);
          }
        });
        var title = levels
          .map(function (level) {
            return LABELS[level];
          })
          .join("/");
        var select = el("select", { "aria-label": "选择" + title });
        select.appendChild(el("option", { value: "" }, "请选择" + title));
        items.forEach(function (item) {
          var option = el("option", { value: item.code }, item.name);
          option.setAttribute("data-level", item.level);
          if (item.code === selected) {
            option.selected = true;
          }
          select.appendChild(option);
        });
        select.addEventListener("change", function () {
          self.onSelect(depth);
        });
        self.selects.push(select);
        self.selectBox.appendChild(select);
        return select;
      },
      function () {
        self.fail();
        return null;
      }
    );
  };

  Picker.prototype.truncate = function (depth) {
    while (this.selects.length > depth) {
      this.selects.pop().remove();
    }
  };

  Picker.prototype.chosen = function () {
    for (var i = this.selects.length - 1; i >= 0; i--) {
      var option = this.selects[i].selectedOptions[0];
      if (option && option.value) {
        return { code: option.value, level: option.getAttribute("data-level"), depth: i };
      }
    }
    return null;
  };

  Picker.prototype.path = function () {
    return this.selects
      .map(function (select) {
        var option = select.selectedOptions[0];
        return option && option.value ? option.textContent : "";
      })
      .filter(Boolean)
      .join(" ");
  };

  Picker.prototype.onSelect = function (depth) {
    this.truncate(depth + 1);
    var current = this.chosen();
    this.showStatus(current);
    if (current && current.depth === depth && LEVELS.indexOf(current.level) < this.deepest) {
      this.loadLevel(depth + 1, current.code, null);
    }
  };

  Picker.prototype.showStatus = function (current) {
    var allowedText = this.allowed
      .map(function (level) {
        return LABELS[level];
      })
      .join("、");
    var value = current && this.allowed.indexOf(current.level) >= 0 ? current.code : "";
    this.setValue(value);
    if (value) {
      this.status.textContent = "已选：" + this.path() + "（" + value + "）";
    } else if (current) {
      this.status.textContent = "请继续选择，可选层级：" + allowedText;
    } else {
      this.status.textContent = "可选层级：" + allowedText;
    }
  };

  Picker.prototype.setValue = function (value) {
    if (this.input.value !== value) {
      this.input.value = value;
      this.input.dispatchEvent(new Event("change", { bubbles: true }));
    }
  };

  // Rebuild the selects down to `code`, using its ancestors.
  Picker.prototype.selectPath = function (code) {
    var self = this;
    return getJSON(this.api + "/" + code + "/ancestors").then(
      function (ancestors) {
        var chain = ancestors
          .map(function (region) {
            return region.code;
          })
          .concat([code]);
        var step = Promise.resolve();
        chain.forEach(function (selected, depth) {
          step = step.then(function () {
            return self.loadLevel(depth, depth ? chain[depth - 1] : null, selected);
          });
        });
        return step.then(function () {
          var current = self.chosen();
          self.showStatus(current);
          if (current && current.code === code && LEVELS.indexOf(current.level) < self.deepest) {
            return self.loadLevel(current.depth + 1, code, null);
          }
          return null;
        });
      },
      function () {
        self.fail();
      }
    );
  };

  Picker.prototype.suggest = function (q) {
    var self = this;
    if (!q) {
      this.closeList();
      return;
    }
    var url =
      this.api + "/search?limit=10&q=" + encodeURIComponent(q) + "&level=" + encodeURIComponent(this.allowed.join(","));
    getJSON(url).then(
      function (items) {
        if (self.search.value.trim() !== q) {
          return; // an older answer arriving late
        }
        self.renderList(items);
      },
      function () {
        self.closeList();
      }
    );
  };

  Picker.prototype.renderList = function (items) {
    var self = this;
    this.suggestions = items;
    this.active = -1;
    this.list.innerHTML = "";
    if (!items.length) {
      this.list.appendChild(el("li", { role: "option", "aria-disabled": "true" }, "没有匹配的区划"));
    }
    items.forEach(function (item, index) {
      var li = el("li", { role: "option", id: self.list.id + "-" + index, "aria-selected": "false" }, item.name);
      li.appendChild(el("small", {}, item.level_label + " · " + item.full_name + " · " + item.code));
      li.addEventListener("mousedown", function (event) {
        event.preventDefault(); // keep focus in the search box until the pick is done
        self.pick(index);
      });
      self.list.appendChild(li);
    });
    this.list.hidden = false;
    this.search.setAttribute("aria-expanded", "true");
  };

  Picker.prototype.closeList = function () {
    this.list.hidden = true;
    this.search.setAttribute("aria-expanded", "false");
    this.search.removeAttribute("aria-activedescendant");
  };

  Picker.prototype.pick = function (index) {
    var item = this.suggestions[index];
    if (!item) {
      return;
    }
    this.closeList();
    this.search.value = "";
    // The field holds the pick at once: walking the selects down to it takes a request per level,
    // and a form submitted meanwhile must not send an empty region.
    if (this.allowed.indexOf(item.level) >= 0) {
      this.setValue(item.code);
      this.status.textContent = "已选：" + item.full_name + "（" + item.code + "）";
    }
    this.selectPath(item.code);
  };

  Picker.prototype.onKey = function (event) {
    if (this.list.hidden || !this.suggestions.length) {
      if (event.key === "Enter") {
        event.preventDefault(); // do not submit the form from the search box
      }
      return;
    }
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      var step = event.key === "ArrowDown" ? 1 : -1;
      this.active = (this.active + step + this.suggestions.length) % this.suggestions.length;
      var items = this.list.querySelectorAll("li");
      for (var i = 0; i < items.length; i++) {
        items[i].setAttribute("aria-selected", i === this.active ? "true" : "false");
      }
      this.search.setAttribute("aria-activedescendant", this.list.id + "-" + this.active);
    } else if (event.key === "Enter") {
      event.preventDefault();
      this.pick(this.active >= 0 ? this.active : 0);
    } else if (event.key === "Escape") {
      this.closeList();
    }
  };

  function init(scope) {
    if (!window.fetch || !window.Promise) {
      return; // very old browser: keep the plain code input
    }
    var roots = (scope || document).querySelectorAll(".region-picker");
    for (var i = 0; i < roots.length; i++) {
      var root = roots[i];
      if (root.getAttribute("data-picker-ready") || !root.querySelector("input[name]")) {
        continue;
      }
      root.setAttribute("data-picker-ready", "1");
      new Picker(root);
    }
  }

  window.XiangzhenRegionPicker = { init: init };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      init(document);
    });
  } else {
    init(document);
  }
  document.addEventListener("htmx:load", function (event) {
    init(event.target);
  });
})();
