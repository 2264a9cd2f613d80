// The XMLHttpRequest a browser gives the vendor guides' JavaScript examples, over Node's fetch.
//
// Only what the examples use: open, setRequestHeader, send, addEventListener and
// onreadystatechange, readyState, status, responseText (withCredentials is a browser matter).
// The answer's status goes to stderr ("HTTP 201"), so a test can read it beside the
// example's own output; a request that cannot be sent fails the process.
"use strict";

class XMLHttpRequest {
  constructor() {
    this.readyState = 0;
    this.status = 0;
    this.responseText = "";
    this.withCredentials = false;
    this.onreadystatechange = null;
    this._headers = {};
    this._listeners = [];
  }

  addEventListener(type, listener) {
    if (type === "readystatechange") this._listeners.push(listener);
  }

  open(method, url) {
    this._method = method;
    this._url = url;
    this._changeState(1);
  }

  setRequestHeader(name, value) {
    this._headers[name] = value;
  }

  send(body) {
    const init = { method: this._method, headers: this._headers };
    if (body !== null && body !== undefined) init.body = body;
    fetch(this._url, init)
      .then(async (response) => {
        this.status = response.status;
        this.responseText = await response.text();
        process.stderr.write(`HTTP ${this.status}\n`);
        this._changeState(4);
      })
      .catch((error) => {
        process.stderr.write(`request failed: ${error}\n`);
        process.exitCode = 2;
      });
  }

  _changeState(state) {
    this.readyState = state;
    for (const listener of this._listeners) listener.call(this);
    if (this.onreadystatechange) this.onreadystatechange.call(this);
  }
}

globalThis.XMLHttpRequest = XMLHttpRequest;
