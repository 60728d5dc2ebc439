package dev.jvswitch.ovsdb.jsonrpc;

/** A message that is not JSON-RPC, a stream that is not JSON, or an error a peer answered with. */
public final class JsonRpcException extends Exception {
    private static final long serialVersionUID = 1L;

    public JsonRpcException(String message) {
        super(message);
    }

    public JsonRpcException(String message, Throwable cause) {
        super(message, cause);
    }
}
