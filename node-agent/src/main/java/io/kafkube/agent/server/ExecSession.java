package io.kafkube.agent.server;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One exec: a process whose standard streams are relayed over an upgraded WebSocket with the
 * {@link ExecProtocol} channels. Output is forwarded as it is read; when the process has ended and its
 * output is all sent, the exit status goes on the error channel and the socket is closed. A socket
 * closed by the client kills the process.
 */
final class ExecSession {
  private static final Logger LOG = LoggerFactory.getLogger(ExecSession.class);
  private static final byte[] EOF = new byte[0];

  private final ServerWebSocket ws;
  private final Process process;
  private final List<String> command;
  private final ExecutorService threads;
  private final LinkedBlockingQueue<byte[]> stdin = new LinkedBlockingQueue<>();
  private volatile boolean closed;
  private final Resizer resizer;
  /** The last size the client asked for; applied by one task at a time, the newest wins. */
  private final AtomicReference<int[]> wantedSize = new AtomicReference<>();
  private final AtomicBoolean resizing = new AtomicBoolean();

  /** Applies a terminal size to the exec's pseudo-terminal; false when it cannot yet (the command has not started). */
  @FunctionalInterface
  interface Resizer {
    boolean resize(int width, int height);
  }

  /** @param resizer the exec's terminal, or null without one (resize messages are then ignored) */
  ExecSession(ServerWebSocket ws, Process process, List<String> command, ExecutorService threads, Resizer resizer) {
    this.ws = ws;
    this.process = process;
    this.command = command;
    this.threads = threads;
    this.resizer = resizer;
  }

  /** Starts relaying; {@code stdinWanted}/{@code stdoutWanted}/{@code stderrWanted} as the request asked. */
  void start(boolean stdinWanted, boolean stdoutWanted, boolean stderrWanted) {
    ws.closeHandler(v -> {
      closed = true;
      stdin.offer(EOF);
      if (process.isAlive()) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    });
    ws.binaryMessageHandler(this::message);
    if (stdinWanted) {
      threads.execute(this::writeStdin);
    } else {
      closeQuietly(process.getOutputStream());
    }
    var out = java.util.concurrent.CompletableFuture.runAsync(
        () -> pump(process.getInputStream(), stdoutWanted ? ExecProtocol.STDOUT : -1), threads);
    var err = java.util.concurrent.CompletableFuture.runAsync(
        () -> pump(process.getErrorStream(), stderrWanted ? ExecProtocol.STDERR : -1), threads);
    out.runAfterBoth(err, () -> {
      try {
        int code = process.waitFor();
        if (!closed) {
          send(ExecProtocol.exitStatus(code, command));
          ws.close((short) 1000);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }

  private void message(Buffer b) {
    if (b.length() == 0) {
      return;
    }
    int channel = b.getByte(0) & 0xff;
    if (channel == ExecProtocol.STDIN) {
      if (b.length() > 1) {
        stdin.offer(b.getBytes(1, b.length()));
      }
    } else if (channel == ExecProtocol.CLOSE && b.length() == 2 && b.getByte(1) == ExecProtocol.STDIN) {
      stdin.offer(EOF);
    } else if (channel == ExecProtocol.RESIZE && resizer != null) {
      ExecProtocol.size(b.getBytes(1, b.length())).ifPresent(size -> {
        wantedSize.set(size);
        if (resizing.compareAndSet(false, true)) {
          threads.execute(this::applySize);
        }
      });
    }
  }

  /** Applies the newest wanted size (retrying while the command is not started yet), then any newer one. */
  private void applySize() {
    int[] applied = null;
    try {
      int[] size;
      while ((size = wantedSize.get()) != applied && !closed) {
        for (int i = 0; i < 100 && process.isAlive(); i++) {
          if (resizer.resize(size[0], size[1])) {
            break;
          }
          Thread.sleep(20);
        }
        applied = size;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      resizing.set(false);
    }
    if (wantedSize.get() != applied && !closed && resizing.compareAndSet(false, true)) {
      threads.execute(this::applySize);
    }
  }

  private void writeStdin() {
    OutputStream os = process.getOutputStream();
    try {
      while (true) {
        byte[] b = stdin.poll(1, TimeUnit.SECONDS);
        if (b == null) {
          if (!process.isAlive()) {
            return;
          }
          continue;
        }
        if (b == EOF) {
          return;
        }
        os.write(b);
        os.flush();
      }
    } catch (IOException e) {
      LOG.debug("[agent-server] stdin of {} closed: {}", command, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeQuietly(os);
    }
  }

  /** Relays a stream of the process to a channel (or drains it when channel is -1). */
  private void pump(InputStream in, int channel) {
    byte[] buf = new byte[32 * 1024];
    try (in) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        if (channel >= 0 && n > 0 && !closed) {
          send(ExecProtocol.frame(channel, buf, 0, n));
        }
      }
    } catch (IOException e) {
      LOG.debug("[agent-server] output of {} ended: {}", command, e.toString());
    }
  }

  private void send(byte[] frame) {
    try {
      ws.writeBinaryMessage(Buffer.buffer(frame)).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      closed = true;
    }
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // already closed
    }
  }
}
