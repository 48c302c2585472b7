package io.kafkube.agent.probe;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkube.agent.runtime.ContainerRuntime;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a container's probes as kubelet's prober workers do: each probe after its initial delay and
 * then every period, results counted against the success and failure thresholds. Startup gates the
 * other two; readiness sets the container's readiness; liveness (and a failed startup) asks for a
 * restart. Probes are exec (a command in the container's environment), httpGet (2xx/3xx) and
 * tcpSocket (a connection opens). Results are reported to a {@link Listener}.
 */
public final class Prober {
  private static final Logger LOG = LoggerFactory.getLogger(Prober.class);

  /** What probing found out about one container instance. */
  public interface Listener {
    void changed();
  }

  /** Told of every failed probe (kubelet's {@code Unhealthy} events): kind is startup, readiness or liveness. */
  public interface FailureListener {
    void failed(String kind, String message);
  }

  private final ScheduledExecutorService timer;
  private final ExecutorService workers;
  private final HttpClient http;

  public Prober(ScheduledExecutorService timer, ExecutorService workers) {
    this.timer = timer;
    this.workers = workers;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(1)).executor(workers).build();
  }

  /** The probing of one running container instance; {@link #cancel()} when it stops. */
  public final class Probes {
    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
    private final ProbeSpec startup;
    private final ProbeSpec readiness;
    private final ProbeSpec liveness;
    private volatile boolean started;
    private volatile boolean ready;
    private volatile boolean restartWanted;
    private volatile String restartReason;
    private volatile boolean cancelled;

    Probes(ProbeSpec startup, ProbeSpec readiness, ProbeSpec liveness) {
      this.startup = startup;
      this.readiness = readiness;
      this.liveness = liveness;
      this.started = startup == null;
      this.ready = readiness == null && started;
    }

    public boolean started() {
      return started;
    }

    /** Ready: readiness passed (or there is none) once started. */
    public boolean ready() {
      return started && (readiness == null || ready);
    }

    /** A failed liveness or startup probe: the container is to be killed and restarted. */
    public boolean restartWanted() {
      return restartWanted;
    }

    public String restartReason() {
      return restartReason;
    }

    public void cancel() {
      cancelled = true;
      synchronized (tasks) {
        tasks.forEach(t -> t.cancel(false));
      }
    }
  }

  /**
   * Starts probing a container instance.
   *
   * @param container the container's spec (JSON)
   * @param run       runs one probe handler: true on success
   */
  public Probes start(JsonNode container, ProbeRunner run, Listener listener) {
    return start(container, run, listener, null);
  }

  /** The same, telling {@code failures} of each failed probe. */
  public Probes start(JsonNode container, ProbeRunner run, Listener listener, FailureListener failures) {
    Probes p = new Probes(ProbeSpec.of(container.path("startupProbe")), ProbeSpec.of(container.path("readinessProbe")),
        ProbeSpec.of(container.path("livenessProbe")));
    schedule(p, p.startup, "startup", run, listener, failures);
    schedule(p, p.readiness, "readiness", run, listener, failures);
    schedule(p, p.liveness, "liveness", run, listener, failures);
    return p;
  }

  /** Runs one probe handler. */
  @FunctionalInterface
  public interface ProbeRunner {
    boolean run(JsonNode handler, Duration timeout);
  }

  private void schedule(Probes p, ProbeSpec spec, String kind, ProbeRunner run, Listener listener,
      FailureListener failed) {
    if (spec == null) {
      return;
    }
    int[] successes = {0};
    int[] failures = {0};
    Runnable tick = () -> {
      if (p.cancelled || p.restartWanted) {
        return;
      }
      if (!kind.equals("startup") && !p.started) {
        return; // startup gates readiness and liveness
      }
      if (kind.equals("startup") && p.started) {
        return;
      }
      workers.execute(() -> {
        boolean ok;
        try {
          ok = run.run(spec.handler(), spec.timeout());
        } catch (RuntimeException e) {
          LOG.debug("{} probe failed", kind, e);
          ok = false;
        }
        if (p.cancelled) {
          return;
        }
        if (!ok && failed != null) {
          failed.failed(kind, Character.toUpperCase(kind.charAt(0)) + kind.substring(1) + " probe failed: "
              + describe(spec.handler()));
        }
        boolean changed = false;
        synchronized (p) {
          if (ok) {
            failures[0] = 0;
            successes[0]++;
            if (successes[0] >= spec.successThreshold()) {
              switch (kind) {
                case "startup" -> {
                  changed = !p.started;
                  p.started = true;
                }
                case "readiness" -> {
                  changed = !p.ready;
                  p.ready = true;
                }
                default -> { }
              }
            }
          } else {
            successes[0] = 0;
            failures[0]++;
            if (kind.equals("readiness")) {
              changed = p.ready;
              p.ready = false;
            } else if (failures[0] >= spec.failureThreshold()) {
              changed = !p.restartWanted;
              p.restartWanted = true;
              p.restartReason = "Container failed " + kind + " probe, will be restarted";
            }
          }
        }
        if (changed) {
          listener.changed();
        }
      });
    };
    ScheduledFuture<?> f = timer.scheduleWithFixedDelay(tick, spec.initialDelay().toMillis(), spec.period().toMillis(),
        TimeUnit.MILLISECONDS);
    synchronized (p.tasks) {
      p.tasks.add(f);
    }
  }

  /** The standard handlers: exec through the runtime, httpGet and tcpSocket against the pod's address. */
  public ProbeRunner runner(ContainerRuntime runtime, String podUid, String containerName, JsonNode container,
      String podIP) {
    return (handler, timeout) -> {
      if (handler.has("exec")) {
        List<String> cmd = new ArrayList<>();
        handler.path("exec").path("command").forEach(c -> cmd.add(c.asText()));
        return runtime.exec(podUid, containerName, cmd, timeout) == 0;
      }
      if (handler.has("httpGet")) {
        if (!runtime.realNetwork()) {
          return true;
        }
        JsonNode h = handler.get("httpGet");
        String host = h.path("host").asText(podIP);
        int port = port(h.path("port"), container);
        String path = h.path("path").asText("/");
        String scheme = h.path("scheme").asText("HTTP").toLowerCase(java.util.Locale.ROOT);
        HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(scheme + "://" + host + ":" + port
            + (path.startsWith("/") ? path : "/" + path))).timeout(timeout).GET();
        rb.header("User-Agent", "kube-probe/1.32");
        for (JsonNode hh : h.path("httpHeaders")) {
          rb.header(hh.path("name").asText(), hh.path("value").asText());
        }
        try {
          int code = http.send(rb.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
          return code >= 200 && code < 400;
        } catch (IOException e) {
          return false;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      if (handler.has("tcpSocket")) {
        if (!runtime.realNetwork()) {
          return true;
        }
        JsonNode t = handler.get("tcpSocket");
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress(t.path("host").asText(podIP), port(t.path("port"), container)),
              (int) timeout.toMillis());
          return true;
        } catch (IOException e) {
          return false;
        }
      }
      LOG.warn("unsupported probe handler {} of {}/{}: counted as failed", handler.fieldNames().next(), podUid,
          containerName);
      return false;
    };
  }

  /** What a failed handler was, for the event's message. */
  static String describe(JsonNode handler) {
    if (handler.has("exec")) {
      List<String> cmd = new ArrayList<>();
      handler.path("exec").path("command").forEach(c -> cmd.add(c.asText()));
      return "command " + cmd + " failed or timed out";
    }
    if (handler.has("httpGet")) {
      return "HTTP probe failed for path " + handler.get("httpGet").path("path").asText("/");
    }
    if (handler.has("tcpSocket")) {
      return "dial tcp port " + handler.get("tcpSocket").path("port").asText() + " failed";
    }
    return "unsupported handler";
  }

  /** A probe's port: a number, or the name of one of the container's ports. */
  static int port(JsonNode port, JsonNode container) {
    if (port.isInt() || port.asText().matches("\\d+")) {
      return port.asInt();
    }
    for (JsonNode p : container.path("ports")) {
      if (port.asText().equals(p.path("name").asText())) {
        return p.path("containerPort").asInt();
      }
    }
    return -1;
  }
}
