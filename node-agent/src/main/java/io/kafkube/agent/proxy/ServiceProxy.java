package io.kafkube.agent.proxy;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kube-proxy for loopback: every TCP port of every Service with a ClusterIP in 127.0.0.0/8 is a listener
 * on that address, and every NodePort a listener on the node's address; each connection goes to one
 * ready endpoint, round robin, trying the next when one refuses. A connection to a Service without
 * ready endpoints is closed at once (kube-proxy rejects it). UDP and SCTP ports are not served.
 */
final class ServiceProxy implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceProxy.class);

  record Listen(String host, int port) {}

  record Target(String namespace, String service, String port) {}

  private final Vertx vertx;
  private final Context context;
  private final ServiceView view;
  private final String nodeAddress;
  private final NetClient client;
  private final Map<Listen, NetServer> servers = new HashMap<>();
  private final Map<Listen, Target> targets = new HashMap<>();
  private final Set<Listen> failed = new HashSet<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final AtomicLong next = new AtomicLong();

  ServiceProxy(Vertx vertx, ServiceView view, String nodeAddress) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.view = view;
    this.nodeAddress = nodeAddress;
    this.client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(2000).setTcpNoDelay(true));
  }

  /** Brings the listeners in line with the Services, on the proxy's context; coalesces bursts of changes. */
  void reconcileSoon() {
    if (scheduled.compareAndSet(false, true)) {
      context.runOnContext(v -> {
        scheduled.set(false);
        reconcile();
      });
    }
  }

  /** The listeners now bound, for tests and logs. */
  Set<Listen> listening() {
    return Set.copyOf(servers.keySet());
  }

  private void reconcile() {
    Map<Listen, Target> desired = new HashMap<>();
    for (ServiceView.Service s : view.services()) {
      if (s.type().equals("ExternalName")) {
        continue;
      }
      for (ServiceView.Port p : s.ports()) {
        if (!p.protocol().equals("TCP")) {
          continue;
        }
        Target t = new Target(s.namespace(), s.name(), Integer.toString(p.port()));
        for (String ip : s.clusterIPs()) {
          if (loopback(ip)) {
            desired.put(new Listen(ip, p.port()), t);
          }
        }
        if ((s.type().equals("NodePort") || s.type().equals("LoadBalancer")) && p.nodePort() > 0) {
          desired.put(new Listen(nodeAddress, p.nodePort()), t);
        }
      }
    }
    for (Listen l : List.copyOf(servers.keySet())) {
      if (!desired.containsKey(l)) {
        servers.remove(l).close();
        targets.remove(l);
        LOG.info("[proxy] stopped listening on {}:{}", l.host(), l.port());
      }
    }
    failed.retainAll(desired.keySet());
    for (Map.Entry<Listen, Target> e : desired.entrySet()) {
      Listen l = e.getKey();
      targets.put(l, e.getValue());
      if (servers.containsKey(l)) {
        continue;
      }
      NetServer server = vertx.createNetServer(new NetServerOptions().setHost(l.host()).setPort(l.port())
          .setTcpNoDelay(true));
      server.connectHandler(in -> connect(in, targets.get(l)));
      servers.put(l, server);
      server.listen().onSuccess(s -> {
        failed.remove(l);
        LOG.info("[proxy] {}:{} → service {}/{} port {}", l.host(), l.port(), e.getValue().namespace(),
            e.getValue().service(), e.getValue().port());
      }).onFailure(err -> {
        servers.remove(l, server);
        if (failed.add(l)) {
          LOG.warn("[proxy] cannot listen on {}:{} for service {}/{}: {}", l.host(), l.port(),
              e.getValue().namespace(), e.getValue().service(), err.toString());
        }
      });
    }
  }

  private void connect(NetSocket in, Target t) {
    in.pause();
    List<ServiceView.Endpoint> eps = t == null ? List.of() : view.service(t.namespace(), t.service())
        .flatMap(s -> s.port(t.port()).map(p -> view.endpoints(s, p))).orElse(List.of());
    if (eps.isEmpty()) {
      in.close();
      return;
    }
    int first = (int) (next.getAndIncrement() % eps.size());
    attempt(in, eps, first, 0);
  }

  private void attempt(NetSocket in, List<ServiceView.Endpoint> eps, int first, int tried) {
    ServiceView.Endpoint ep = eps.get((first + tried) % eps.size());
    client.connect(ep.port(), ep.ip()).onSuccess(out -> {
      in.closeHandler(v -> out.close());
      out.closeHandler(v -> in.close());
      in.pipeTo(out);
      out.pipeTo(in);
      in.resume();
    }).onFailure(err -> {
      if (tried + 1 < eps.size()) {
        attempt(in, eps, first, tried + 1);
      } else {
        LOG.debug("[proxy] no endpoint of {} answered: {}", eps, err.toString());
        in.close();
      }
    });
  }

  static boolean loopback(String ip) {
    try {
      return InetAddress.getByName(ip).isLoopbackAddress() && ip.indexOf(':') < 0;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  @Override
  public void close() {
    servers.values().forEach(NetServer::close);
    servers.clear();
    client.close();
  }
}
