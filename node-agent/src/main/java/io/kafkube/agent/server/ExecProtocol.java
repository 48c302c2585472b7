package io.kafkube.agent.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Kubernetes' remote-command stream protocol over WebSocket ({@code v4.channel.k8s.io},
 * {@code v5.channel.k8s.io}): every binary message starts with its channel, 0 stdin, 1 stdout,
 * 2 stderr, 3 the error channel (a {@code metav1.Status} at the end), 4 terminal resize; v5 adds
 * the close message {@code [255, channel]} (the client's stdin is done).
 */
public final class ExecProtocol {
  public static final String V5 = "v5.channel.k8s.io";
  public static final String V4 = "v4.channel.k8s.io";
  /** The protocols served, preferred first. */
  public static final List<String> PROTOCOLS = List.of(V5, V4);

  public static final int STDIN = 0;
  public static final int STDOUT = 1;
  public static final int STDERR = 2;
  public static final int ERROR = 3;
  public static final int RESIZE = 4;
  public static final int CLOSE = 255;

  private ExecProtocol() {}

  /** A message on a channel. */
  public static byte[] frame(int channel, byte[] data, int off, int len) {
    byte[] out = new byte[len + 1];
    out[0] = (byte) channel;
    System.arraycopy(data, off, out, 1, len);
    return out;
  }

  /** The error channel's last word: Success, or Failure with reason NonZeroExitCode and the exit code as a cause. */
  public static byte[] exitStatus(int exitCode, List<String> command) {
    ObjectNode s = JsonNodeFactory.instance.objectNode();
    s.putObject("metadata");
    if (exitCode == 0) {
      s.put("status", "Success");
    } else {
      s.put("status", "Failure");
      s.put("message", "command terminated with non-zero exit code: error executing command " + command
          + ", exit code " + exitCode);
      s.put("reason", "NonZeroExitCode");
      s.putObject("details").putArray("causes").addObject().put("reason", "ExitCode")
          .put("message", Integer.toString(exitCode));
    }
    byte[] b = s.toString().getBytes(StandardCharsets.UTF_8);
    return frame(ERROR, b, 0, b.length);
  }

  /**
   * The terminal size of a resize message ({@code {"Width":W,"Height":H}}, as client-go's
   * {@code TerminalSize}): {@code [width, height]}, empty when the message is not one.
   */
  public static java.util.Optional<int[]> size(byte[] json) {
    try {
      com.fasterxml.jackson.databind.JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
      if (n == null || !n.path("Width").canConvertToInt() || !n.path("Height").canConvertToInt()
          || !n.path("Width").isNumber() || !n.path("Height").isNumber()) {
        return java.util.Optional.empty();
      }
      int w = n.get("Width").asInt();
      int h = n.get("Height").asInt();
      return w > 0 && h > 0 && w <= 0xffff && h <= 0xffff ? java.util.Optional.of(new int[] {w, h})
          : java.util.Optional.empty();
    } catch (java.io.IOException e) {
      return java.util.Optional.empty();
    }
  }

  /** The error channel's last word when the command could not run at all. */
  public static byte[] failure(String message) {
    ObjectNode s = JsonNodeFactory.instance.objectNode();
    s.putObject("metadata");
    s.put("status", "Failure");
    s.put("message", message);
    byte[] b = s.toString().getBytes(StandardCharsets.UTF_8);
    return frame(ERROR, b, 0, b.length);
  }
}
