export const id = 845;
export const ids = [845];
export const modules = {

/***/ 5845:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   loadWithSdk: () => (/* binding */ loadWithSdk)
/* harmony export */ });
/* harmony import */ var _lmstudio_sdk__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4223);
// Loading a model through @lmstudio/sdk, the one interface that takes every load setting.
// The client speaks LM Studio's WebSocket protocol on the server's own port.

// The SDK logs progress and hints through its logger; the driver says what matters itself.
const quiet = { info: () => { }, warn: () => { }, error: () => { }, debug: () => { } };
/** Loads `modelKey` as `identifier` with `config`; the error quotes LM Studio's own message. */
async function loadWithSdk(port, modelKey, identifier, config, signal) {
    const client = new _lmstudio_sdk__WEBPACK_IMPORTED_MODULE_0__/* .LMStudioClient */ .Rd({ baseUrl: `ws://127.0.0.1:${port}`, logger: quiet });
    try {
        const model = await client.llm.load(modelKey, { identifier, config, verbose: false, ...(signal ? { signal } : {}) });
        const info = await model.getModelInfo();
        return {
            identifier: info.identifier,
            modelKey: info.modelKey,
            ...(info.path ? { path: info.path } : {}),
            ...(typeof info.contextLength === 'number' ? { contextLength: info.contextLength } : {})
        };
    }
    catch (error) {
        // The SDK draws its messages in a box (│ ┌ ─ …): the words alone, on one line.
        const message = (error.message ?? String(error))
            .split('\n')
            .map((l) => l.replace(/[│┌┐└┘─╭╮╰╯]/g, '').trim())
            .filter(Boolean)
            .join(' ');
        throw new Error(`LM Studio could not load '${modelKey}': ${message}`, { cause: error });
    }
    finally {
        await client[Symbol.asyncDispose]().catch(() => { });
    }
}


/***/ })

};

//# sourceMappingURL=845.index.js.map