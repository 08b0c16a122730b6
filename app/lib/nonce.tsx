import { createContext, useContext } from "react";

// The CSP nonce of this response, given by the server to entry.server and read by <Scripts>.
export const NonceContext = createContext("");
export const useNonce = () => useContext(NonceContext);
