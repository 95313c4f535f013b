/*
 * b24kit emulator: the portal UI's only script. It is the parent side of the
 * frame message protocol (protocol.md §9.2–9.3) for the official frame SDK
 * (B24Frame) and the old BX24.js, and runs the page's tabs, sliders, pickers
 * and the user switcher. Plain browser JavaScript, no build step.
 */
(() => {
  /** Returned by a command handler that answers later (or never). */
  const NO_REPLY = Symbol("no reply");

  /** Frames on this page by APP_SID: {sid, origin, placement, clientId, title, iframe, form, slider, primary, subscriptions}. */
  const frames = new Map();
  const sliders = [];

  const PORTAL_PATHS = [
    /^\/crm\/(deal|lead|contact|company)\/(list|details\/\d+)\/$/,
    /^\/company\/personal\/user\/\d+\/(tasks\/(task\/view\/\d+\/)?)?$/,
    /^\/marketplace\/((app\/\d+\/)|(install\/[^/]+\/))?$/,
    /^\/online\/$/,
  ];

  // ---------------------------------------------------------------- helpers

  async function api(method, url, body) {
    const init = { method, headers: { accept: "application/json" }, credentials: "same-origin" };
    if (body !== undefined) {
      init.headers["content-type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const res = await fetch(url, init);
    const data = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(data.error || `HTTP ${res.status}`);
    return data;
  }

  function frameUrl(ref, action) {
    return `/_portal/frame/${encodeURIComponent(ref.sid)}/${action}`;
  }

  function here() {
    return location.pathname + location.search;
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function toast(text) {
    const node = el("div", "b24-toast", text);
    document.body.append(node);
    setTimeout(() => node.remove(), 4000);
  }

  function later(fn) {
    setTimeout(fn, 30);
  }

  // ---------------------------------------------------------------- frames

  function register(meta, container, iframe, form) {
    const ref = { ...meta, container, iframe, form, slider: null, primary: false, subscriptions: new Map() };
    frames.set(ref.sid, ref);
    return ref;
  }

  /** (Re)loads a frame: the hidden form POSTs the §2.2 payload into it (plain GET placements just navigate). */
  function load(ref) {
    if (ref.plainGet) ref.iframe.src = ref.action;
    else ref.form.submit();
  }

  /** Builds <iframe name="DOMAIN|PROTOCOL|APP_SID"> plus its hidden form from a descriptor and opens it. */
  function buildFrame(container, d, height) {
    const iframe = el("iframe", "b24-frame__iframe");
    iframe.name = d.name;
    iframe.title = d.title || d.placement;
    if (height) iframe.style.height = `${height}px`;
    const form = el("form", "b24-frame__form");
    form.method = "post";
    form.action = d.action;
    form.target = d.name;
    form.hidden = true;
    for (const [name, value] of Object.entries(d.fields || {})) {
      const input = el("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      form.append(input);
    }
    container.replaceChildren(iframe, form);
    const ref = register(
      {
        sid: d.sid,
        origin: d.origin,
        placement: d.placement,
        clientId: d.clientId,
        title: d.title,
        install: d.install,
        plainGet: d.plainGet,
        action: d.action,
      },
      container,
      iframe,
      form,
    );
    load(ref);
    return ref;
  }

  /** A placement tab or slider: asks the server for a frame session, then opens it. */
  async function openPlacement(container, request, height) {
    try {
      const d = await api("POST", "/_portal/frame/open", { ...request, uri: here() });
      return buildFrame(container, d, height);
    } catch (error) {
      container.classList.add("b24-frame--error");
      container.textContent = `The application could not be opened: ${error.message}`;
      return null;
    }
  }

  function openLazy(container) {
    if (container.dataset.loaded) return;
    container.dataset.loaded = "1";
    openPlacement(container, JSON.parse(container.dataset.open), 420);
  }

  // ---------------------------------------------------------------- sliders

  function openSlider(title, width, onClose) {
    const overlay = el("div", "b24-slider");
    const shade = el("div", "b24-slider__shade");
    const panel = el("section", "b24-slider__panel");
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-modal", "true");
    if (width > 0) panel.style.width = `min(${width}px, calc(100vw - 60px))`;
    const head = el("header", "b24-slider__head");
    const titleEl = el("h2", "b24-slider__title", title || "");
    const close = el("button", "b24-slider__close", "×");
    close.type = "button";
    close.setAttribute("aria-label", "Close");
    const body = el("div", "b24-slider__body");
    head.append(titleEl, close);
    panel.append(head, body);
    overlay.append(shade, panel);
    const slider = { overlay, body, titleEl, onClose, frameSid: null, closed: false };
    close.addEventListener("click", () => closeSlider(slider));
    shade.addEventListener("click", () => closeSlider(slider));
    document.body.append(overlay);
    sliders.push(slider);
    return slider;
  }

  function closeSlider(slider) {
    if (slider.closed) return;
    slider.closed = true;
    slider.overlay.remove();
    sliders.splice(sliders.indexOf(slider), 1);
    if (slider.frameSid) frames.delete(slider.frameSid);
    if (slider.onClose) slider.onClose();
  }

  document.addEventListener("keydown", (event) => {
    const top = sliders[sliders.length - 1];
    if (event.key === "Escape" && top) closeSlider(top);
  });

  // ---------------------------------------------------------------- pickers

  /** A simple modal list; resolves with the chosen items, or null when cancelled. */
  function picker(title, items, multiple) {
    return new Promise((resolve) => {
      const overlay = el("div", "b24-picker");
      const box = el("form", "b24-picker__box");
      box.append(el("h2", "b24-picker__title", title));
      const list = el("div", "b24-picker__list");
      items.forEach((item, index) => {
        const label = el("label", "b24-picker__item");
        const input = el("input");
        input.type = multiple ? "checkbox" : "radio";
        input.name = "pick";
        input.value = String(index);
        const text = el("span", "b24-picker__text", item.label);
        if (item.sub) text.append(el("small", "b24-muted", ` ${item.sub}`));
        label.append(input, text);
        list.append(label);
      });
      if (!items.length) list.append(el("p", "b24-empty", "Nothing to choose from."));
      const buttons = el("div", "b24-picker__buttons");
      const ok = el("button", "b24-btn b24-btn--primary", "Select");
      ok.type = "submit";
      const cancel = el("button", "b24-btn b24-btn--link", "Cancel");
      cancel.type = "button";
      buttons.append(ok, cancel);
      box.append(list, buttons);
      overlay.append(box);
      document.body.append(overlay);
      const done = (value) => {
        overlay.remove();
        resolve(value);
      };
      cancel.addEventListener("click", () => done(null));
      box.addEventListener("submit", (event) => {
        event.preventDefault();
        const chosen = [...box.querySelectorAll("input:checked")].map((i) => items[Number(i.value)].value);
        done(chosen);
      });
    });
  }

  // ---------------------------------------------------------------- the message protocol

  function decode(raw) {
    if (raw === "") return {};
    try {
      return JSON.parse(raw);
    } catch {
      return raw;
    }
  }

  /**
   * `command:params:callbackId:APP_SID`: first segment the command, last the
   * APP_SID, the one before it the callback id, everything between (re-joined
   * with ':') the params JSON. The SDK's object form {method, params, callback, appSid} too.
   */
  function parseMessage(data) {
    if (typeof data === "string") {
      const parts = data.split(":");
      if (parts.length < 2) return null;
      return {
        command: parts[0],
        sid: parts[parts.length - 1],
        callback: parts.length >= 3 ? parts[parts.length - 2] : "",
        params: decode(parts.length >= 4 ? parts.slice(1, -2).join(":") : ""),
      };
    }
    if (data && typeof data === "object" && typeof data.method === "string") {
      return {
        command: data.method,
        sid: String(data.appSid ?? ""),
        callback: String(data.callback ?? ""),
        params: typeof data.params === "string" ? decode(data.params) : (data.params ?? {}),
      };
    }
    return null;
  }

  /** `callbackId:resultJSON` to the frame, only to the handler's origin. */
  function reply(ref, callback, result) {
    const target = ref.iframe.contentWindow;
    if (!callback || !target) return;
    const payload = result === undefined ? "" : JSON.stringify(result);
    target.postMessage(`${callback}:${payload}`, ref.origin);
  }

  function interfaceFor(placement) {
    if (/^CRM_.+_(DETAIL_TAB|DETAIL_ACTIVITY|DETAIL_TOOLBAR|LIST_MENU)$/.test(placement)) {
      return { command: ["reloadData"], event: [] };
    }
    if (placement === "USERFIELD_TYPE") return { command: ["setValue", "getValue"], event: [] };
    return { command: [], event: [] };
  }

  function navigate(url) {
    later(() => location.assign(url));
  }

  async function reloadData() {
    const res = await fetch(location.href, { headers: { accept: "text/html" }, credentials: "same-origin" });
    const doc = new DOMParser().parseFromString(await res.text(), "text/html");
    for (const selector of ["#entity-fields", "[data-entity-form]", "[data-page-title]"]) {
      const fresh = doc.querySelector(selector);
      const current = document.querySelector(selector);
      if (fresh && current) current.replaceWith(document.importNode(fresh, true));
    }
    return {};
  }

  const handlers = {
    getInitData: (ref) => api("GET", frameUrl(ref, "init")),

    refreshAuth: (ref) => api("POST", frameUrl(ref, "refresh-auth"), {}),

    async setInstall(ref, params) {
      await api("POST", frameUrl(ref, "install"), {});
      return params;
    },

    async setInstallFinish(ref) {
      await api("POST", frameUrl(ref, "install-finish"), {});
      const url = new URL(location.href);
      url.searchParams.set("install_finished", "Y");
      navigate(url.toString());
      return NO_REPLY;
    },

    async setAppOption(ref, params) {
      try {
        return await api("POST", frameUrl(ref, "app-option"), { name: params.name, value: params.value });
      } catch {
        return NO_REPLY; // not an admin: no answer, as on a portal
      }
    },

    async setUserOption(ref, params) {
      await api("POST", frameUrl(ref, "user-option"), { name: params.name, value: params.value });
      return params;
    },

    resizeWindow(ref, params) {
      const h = Number.parseInt(params.height, 10);
      ref.iframe.style.height = `${Number.isFinite(h) && h > 0 ? h : 100}px`;
      const w = params.width;
      const px = typeof w === "number" || (typeof w === "string" && /^\d+$/.test(w)) ? Number(w) : 0;
      ref.iframe.style.width = px > 0 ? `${px}px` : "100%";
      return { width: ref.iframe.offsetWidth, height: ref.iframe.offsetHeight };
    },

    setTitle(ref, params) {
      const title = String(params.title ?? "");
      if (ref.slider) ref.slider.titleEl.textContent = title;
      else if (ref.primary) {
        const heading = document.querySelector("[data-page-title]");
        if (heading) heading.textContent = title;
        document.title = title;
      }
      return params;
    },

    setScroll(_ref, params) {
      window.scrollTo(0, Number(params.scroll) || 0);
      return params;
    },

    reloadWindow(ref) {
      later(() => load(ref));
      return {};
    },

    async openApplication(ref, params, callback) {
      let opened;
      try {
        opened = await api("POST", frameUrl(ref, "open-application"), {
          params: params && typeof params === "object" ? params : {},
          uri: here(),
        });
      } catch (error) {
        toast(`The application could not be opened: ${error.message}`);
        return undefined;
      }
      const width = Number.parseInt(opened.slider?.bx24_width, 10);
      const slider = openSlider(opened.frame.title, Number.isFinite(width) ? width : 0, () =>
        reply(ref, callback, undefined),
      );
      const holder = el("div", "b24-frame");
      slider.body.append(holder);
      const child = buildFrame(holder, opened.frame);
      child.slider = slider;
      slider.frameSid = child.sid;
      return NO_REPLY;
    },

    closeApplication(ref) {
      if (ref.slider) {
        const slider = ref.slider;
        later(() => closeSlider(slider));
      }
      return {};
    },

    openPath(ref, params, callback) {
      let target;
      try {
        target = new URL(String(params.path ?? ""), location.origin);
      } catch {
        return { result: "error", errorCode: "PATH_NOT_AVAILABLE" };
      }
      if (target.origin !== location.origin || !PORTAL_PATHS.some((re) => re.test(target.pathname))) {
        return { result: "error", errorCode: "PATH_NOT_AVAILABLE" };
      }
      target.searchParams.set("IFRAME", "Y");
      const slider = openSlider(target.pathname, 0, () => reply(ref, callback, { result: "close" }));
      const page = el("iframe", "b24-slider__page");
      page.src = target.toString();
      slider.body.append(page);
      return NO_REPLY;
    },

    imOpenMessenger(_ref, params) {
      navigate(`/online/?dialog=${encodeURIComponent(params.dialogId ?? "")}`);
      return {};
    },
    imOpenHistory(_ref, params) {
      navigate(`/online/?dialog=${encodeURIComponent(params.dialogId ?? "")}`);
      return {};
    },
    imCallTo(_ref, params) {
      navigate(`/online/?dialog=${encodeURIComponent(params.userId ?? "")}`);
      return {};
    },
    imPhoneTo() {
      navigate("/online/");
      return {};
    },

    async selectUser(ref, params) {
      const users = await api("GET", frameUrl(ref, "users"));
      const multiple = Boolean(params.mult);
      const chosen = await picker(
        multiple ? "Select users" : "Select a user",
        users.map((u) => ({ label: u.name, sub: u.position, value: u })),
        multiple,
      );
      if (multiple) return chosen ?? [];
      return chosen?.[0] ?? null;
    },

    async selectAccess(ref, params) {
      const users = await api("GET", frameUrl(ref, "users"));
      const blocked = new Set(Array.isArray(params.value) ? params.value.map(String) : []);
      const items = [
        { id: "AU", name: "All employees" },
        ...users.map((u) => ({ id: `U${u.id}`, name: u.name })),
      ]
        .filter((item) => !blocked.has(item.id))
        .map((item) => ({ label: item.name, sub: item.id, value: item }));
      return (await picker("Select access", items, true)) ?? [];
    },

    async selectCRM(ref, params) {
      const asked = Array.isArray(params.entityType)
        ? params.entityType
        : params.entityType
          ? [params.entityType]
          : [];
      const data = await api("GET", `${frameUrl(ref, "crm")}?types=${encodeURIComponent(asked.join(","))}`);
      const items = [];
      for (const [type, records] of Object.entries(data)) {
        for (const record of records)
          items.push({ label: record.title, sub: `${type} ${record.id}`, value: record });
      }
      const chosen = await picker("Select CRM items", items, Boolean(params.multiple));
      const result = {};
      for (const record of chosen ?? []) {
        result[record.type] = result[record.type] || [];
        result[record.type].push(record);
      }
      return result;
    },

    getInterface: (ref) => interfaceFor(ref.placement),

    placementBindEvent(ref, params, callback) {
      if (callback) ref.subscriptions.set(String(params.event ?? ""), callback);
      return NO_REPLY;
    },

    reloadData: () => reloadData(),

    /*
     * USERFIELD_TYPE (api-reference/widgets/user-field/index.md): setValue writes
     * the field's value into the card's form (saved with the card); the frame SDK
     * sends the value JSON-encoded, so it arrives decoded here. Edit mode only.
     */
    setValue(ref, params) {
      if (ref.uf?.mode !== "edit") return NO_REPLY;
      ref.uf.value = ufValue(ref.uf, params);
      writeUfInputs(ref.uf);
      return {};
    },

    getValue(ref) {
      if (!ref.uf) return NO_REPLY;
      return ref.uf.value;
    },

    showAppForm: () => NO_REPLY,
  };

  // ---------------------------------------------------------------- user-field frames

  /** A setValue value as the form keeps it: strings (objects as JSON), a list for a multiple field. */
  function ufValue(uf, raw) {
    const one = (v) =>
      v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
    if (uf.multiple) return (Array.isArray(raw) ? raw : raw === "" || raw == null ? [] : [raw]).map(one);
    return one(Array.isArray(raw) ? raw[0] : raw);
  }

  /** Rewrites the hidden inputs `fields[NAME]` (or `fields[NAME][]`) of the card's form. */
  function writeUfInputs(uf) {
    const holder = document.querySelector(`[data-uf-values="${CSS.escape(uf.field)}"]`);
    if (!holder) return;
    const name = `fields[${uf.field}]`;
    const values = uf.multiple ? ["", ...uf.value] : [uf.value];
    holder.replaceChildren(
      ...values.map((v) => {
        const input = el("input");
        input.type = "hidden";
        input.name = uf.multiple ? `${name}[]` : name;
        input.value = v;
        return input;
      }),
    );
  }

  async function handle(ref, message) {
    const handler = Object.hasOwn(handlers, message.command) ? handlers[message.command] : null;
    if (!handler) return; // unknown (placement-specific) commands are ignored, as on a portal
    let result;
    try {
      result = await handler(ref, message.params ?? {}, message.callback);
    } catch (error) {
      toast(`${message.command}: ${error.message}`);
      return;
    }
    if (result !== NO_REPLY) reply(ref, message.callback, result);
  }

  window.addEventListener("message", (event) => {
    const message = parseMessage(event.data);
    if (!message) return;
    const ref = frames.get(message.sid);
    // Only the frame's own handler origin and APP_SID are listened to.
    if (!ref || event.origin !== ref.origin) return;
    if (event.source && ref.iframe.contentWindow && event.source !== ref.iframe.contentWindow) return;
    handle(ref, message);
  });

  // ---------------------------------------------------------------- page behaviour

  for (const container of document.querySelectorAll(".b24-frame[data-autoload]")) {
    const ref = register(
      JSON.parse(container.dataset.frame),
      container,
      container.querySelector("iframe"),
      container.querySelector("form"),
    );
    // A user field's frame (USERFIELD_TYPE) is not the page's own app: it does not set the title.
    const uf = container.closest("[data-uf]");
    if (uf) ref.uf = JSON.parse(uf.dataset.uf);
    else ref.primary = true;
    load(ref);
  }

  for (const tabs of document.querySelectorAll(".b24-tabs")) {
    tabs.addEventListener("click", (event) => {
      const tab = event.target.closest("[data-tab]");
      if (!tab || !tabs.contains(tab)) return;
      for (const other of tabs.querySelectorAll("[data-tab]")) {
        other.classList.toggle("is-active", other === tab);
        other.setAttribute("aria-selected", String(other === tab));
      }
      for (const panel of tabs.querySelectorAll("[data-panel]")) {
        const active = panel.dataset.panel === tab.dataset.tab;
        panel.hidden = !active;
        panel.classList.toggle("is-active", active);
        const lazy = active ? panel.querySelector(".b24-frame[data-open]") : null;
        if (lazy) openLazy(lazy);
      }
    });
  }

  document.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-placement-open]");
    if (!button) return;
    const request = JSON.parse(button.dataset.placementOpen);
    const slider = openSlider(request.title, 0, null);
    const holder = el("div", "b24-frame");
    slider.body.append(holder);
    const ref = await openPlacement(holder, request);
    if (ref) {
      ref.slider = slider;
      slider.frameSid = ref.sid;
    }
  });

  const switcher = document.querySelector("[data-ui-user]");
  if (switcher) switcher.addEventListener("change", () => switcher.form.submit());

  const messages = document.querySelector("[data-chat-messages]");
  if (messages) {
    messages.scrollTop = messages.scrollHeight;
    const input = document.querySelector(".b24-chat__input");
    if (input) input.focus();
    // New messages (bots answer asynchronously) show up without a reload.
    setInterval(async () => {
      if (document.hidden) return;
      const res = await fetch(location.href, {
        headers: { accept: "text/html" },
        credentials: "same-origin",
      });
      const doc = new DOMParser().parseFromString(await res.text(), "text/html");
      const fresh = doc.querySelector("[data-chat-messages]");
      const current = document.querySelector("[data-chat-messages]");
      if (!fresh || !current || fresh.innerHTML === current.innerHTML) return;
      const atBottom = current.scrollTop + current.clientHeight >= current.scrollHeight - 20;
      current.innerHTML = fresh.innerHTML;
      if (atBottom) current.scrollTop = current.scrollHeight;
    }, 2500);
  }

  /** For developers and tests: fire a placement event bound with placementBindEvent. */
  window.b24Portal = {
    frames,
    firePlacementEvent(event, data) {
      for (const ref of frames.values()) {
        const callback = ref.subscriptions.get(event);
        if (callback) reply(ref, callback, data);
      }
    },
  };
})();
