package io.kafkube.api.allocation;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.kafkube.api.ApiException;
import io.kafkube.schemas.envelope.Envelopes;
import io.kafkube.schemas.envelope.KeyValues;
import io.kafkube.schemas.envelope.Op;
import io.kafkube.schemas.envelope.ReplyView;
import io.kafkube.schemas.envelope.User;
import io.kafkube.schemas.meta.Meta;
import io.kafkube.schemas.resource.ResourceType;
import io.kafkube.schemas.status.Cause;
import io.kafkube.schemas.status.Statuses;
import io.kafkube.store.client.CommandClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.avro.generic.GenericRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ClusterIP and NodePort allocation for Services, unique across every API instance because the
 * store decides it: each address and each port is a raw key of the store
 * ({@code /kafkube/allocations/clusterips/<ip>}, {@code /kafkube/allocations/nodeports/<port>}),
 * claimed with a CREATE that the single writer refuses (409) when the key exists; two API servers
 * racing for one address send their CREATEs to the same partition and exactly one wins. The key's
 * value names the owning Service. A release is an etcd transaction "delete if the value is still
 * this Service", so a late release never frees an address that went to another Service.
 *
 * <p>The claim happens before the Service's own command, and is given back when that command fails
 * ({@link Claim#finish}). What it does not cover: an API server that dies between the claim and the
 * Service's command leaves the key claimed: {@link AllocationRepair} finds such claims and releases
 * them after a grace period, as kube-apiserver's repair loops do.
 */
public final class ServiceAllocator {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceAllocator.class);
  /** Prefix of the allocation keys: raw keys (outside {@code /registry/}), as the etcd endpoint's. */
  public static final String IP_KEYS = "/kafkube/allocations/clusterips/";
  public static final String PORT_KEYS = "/kafkube/allocations/nodeports/";
  private static final int RANDOM_ATTEMPTS = 64;
  private static final User ALLOCATOR = new User("system:apiserver",
      List.of("system:masters", "system:authenticated"), null);

  private final CommandClient client;
  private final ServiceRanges ranges;

  public ServiceAllocator(CommandClient client, ServiceRanges ranges) {
    this.client = client;
    this.ranges = ranges;
  }

  public ServiceRanges ranges() {
    return ranges;
  }

  /** What one write of a Service claimed, and what it frees once written. */
  public final class Claim {
    private final String owner;
    private final List<String> taken = new ArrayList<>();
    private final List<String> freed = new ArrayList<>();

    private Claim(String owner) {
      this.owner = owner;
    }

    /** The keys claimed for this write. */
    public List<String> taken() {
      return List.copyOf(taken);
    }

    /**
     * Completes the claim once the Service's command was answered: a written Service frees the keys
     * it no longer uses; a refused one gives back what was claimed for it.
     */
    public CompletableFuture<Void> finish(boolean written) {
      return releaseAll(owner, written ? freed : taken);
    }
  }

  /** A claim that takes nothing (objects that are not Services, dry runs). */
  public Claim none(String owner) {
    return new Claim(owner);
  }

  /**
   * Fills in and claims what a Service needs. {@code svc} is changed in place: its ClusterIP (kept from
   * {@code old} on update, a requested one checked, or a free one chosen) and its NodePorts (kept from
   * the old port with the same port and protocol, requested ones checked, others chosen).
   *
   * @param type  the services resource (for Status messages)
   * @param owner the Service's object key
   * @param old   the current Service on update, null on create
   * @return the claim, or a future failed with a 422 {@link ApiException} naming the field
   */
  public CompletableFuture<Claim> claim(ResourceType type, String owner, GenericRecord svc, GenericRecord old) {
    Claim claim = new Claim(owner);
    GenericRecord spec = (GenericRecord) svc.get("spec");
    if (spec == null) {
      return CompletableFuture.completedFuture(claim);
    }
    String kind = typeOf(spec);
    GenericRecord oldSpec = old == null ? null : (GenericRecord) old.get("spec");
    String name = Meta.name(svc) == null ? "" : Meta.name(svc);
    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
    if (!kind.equals("ExternalName")) {
      List<String> ips = clusterIPs(spec);
      List<String> oldIps = oldSpec == null ? List.of() : clusterIPs(oldSpec);
      if (ips.isEmpty() && !oldIps.isEmpty()) {
        setClusterIp(spec, oldIps.get(0)); // updates keep the address
      } else if (!ips.isEmpty() && !oldIps.isEmpty() && ips.get(0).equals(oldIps.get(0))) {
        // unchanged
      } else if (!ips.isEmpty() && !oldIps.isEmpty()) {
        // a change: the store refuses it (immutable field); nothing to claim
      } else if (ips.isEmpty()) {
        chain = chain.thenCompose(v -> claimRandomIp(claim)).thenAccept(ip -> setClusterIp(spec, ip));
      } else if (!ips.get(0).equals("None")) {
        String ip = ips.get(0);
        if (!ranges.containsIp(ip)) {
          return CompletableFuture.failedFuture(ipInvalid(type, name, ip, "the provided IP (" + ip
              + ") is not in the valid range. The range of valid IPs is " + ranges.cidr()));
        }
        chain = chain.thenCompose(v -> take(claim, IP_KEYS + ip)).thenAccept(ok -> {
          if (!ok) {
            throw ipInvalid(type, name, ip, "provided IP is already allocated");
          }
          setClusterIp(spec, ip);
        });
      }
    }
    Set<Integer> keep = new LinkedHashSet<>();
    if (needsNodePorts(spec)) {
      @SuppressWarnings("unchecked")
      List<GenericRecord> ports = (List<GenericRecord>) spec.get("ports");
      Set<Integer> oldNumbers = oldSpec == null || !needsNodePorts(oldSpec) ? Set.of() : nodePorts(oldSpec);
      Set<Integer> wanted = new LinkedHashSet<>();
      for (int i = 0; ports != null && i < ports.size(); i++) {
        GenericRecord p = ports.get(i);
        Integer np = intOf(p.get("nodePort"));
        if (np == null || np == 0) {
          Integer reused = oldSpec == null ? null : oldNodePort(oldSpec, p);
          if (reused != null) {
            p.put("nodePort", reused);
            keep.add(reused);
          } else {
            chain = chain.thenCompose(v -> claimRandomPort(claim)).thenAccept(n -> p.put("nodePort", n));
          }
          continue;
        }
        int n = np;
        if (oldNumbers.contains(n) || !wanted.add(n)) {
          keep.add(n);
          continue;
        }
        String field = "spec.ports[" + i + "].nodePort";
        if (!ranges.containsPort(n)) {
          return CompletableFuture.failedFuture(portInvalid(type, name, field, n,
              "provided port is not in the valid range. The range of valid ports is " + ranges.portRange()));
        }
        chain = chain.thenCompose(v -> take(claim, PORT_KEYS + n)).thenAccept(ok -> {
          if (!ok) {
            throw portInvalid(type, name, field, n, "provided port is already allocated");
          }
        });
      }
    }
    if (oldSpec != null) {
      if (needsNodePorts(oldSpec)) {
        for (int n : nodePorts(oldSpec)) {
          if (!keep.contains(n)) {
            claim.freed.add(PORT_KEYS + n);
          }
        }
      }
    }
    return chain.handle((v, e) -> {
      if (e == null) {
        return CompletableFuture.completedFuture(claim);
      }
      Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
          ? e.getCause() : e;
      return claim.finish(false).handle((x, y) -> (Claim) null)
          .thenCompose(x -> CompletableFuture.<Claim>failedFuture(cause));
    }).thenCompose(f -> f);
  }

  /** Releases what a deleted Service held. */
  public CompletableFuture<Void> release(String owner, GenericRecord deleted) {
    GenericRecord spec = deleted == null ? null : (GenericRecord) deleted.get("spec");
    if (spec == null) {
      return CompletableFuture.completedFuture(null);
    }
    List<String> keys = new ArrayList<>();
    List<String> ips = clusterIPs(spec);
    if (!ips.isEmpty() && !ips.get(0).equals("None")) {
      keys.add(IP_KEYS + ips.get(0));
    }
    for (int n : nodePorts(spec)) {
      keys.add(PORT_KEYS + n);
    }
    return releaseAll(owner, keys);
  }

  /** Claims one allocation key for {@code owner}: true if it got it, false if the key is taken (repair). */
  CompletableFuture<Boolean> claimKey(String owner, String key) {
    return take(new Claim(owner), key);
  }

  /** Releases one allocation key if it still names {@code owner} (repair). */
  CompletableFuture<ReplyView> releaseKey(String owner, String key) {
    return releaseOne(owner, key);
  }

  private CompletableFuture<String> claimRandomIp(Claim claim) {
    long start = ThreadLocalRandom.current().nextLong(ranges.ipCount());
    return tryIps(claim, start, 0);
  }

  private CompletableFuture<String> tryIps(Claim claim, long start, int attempt) {
    if (attempt >= RANDOM_ATTEMPTS || attempt >= ranges.ipCount()) {
      return CompletableFuture.failedFuture(new ApiException(Statuses.internalError(
          "failed to allocate a serviceIP: range is full")));
    }
    // after a collision, probe a random other address: claimed addresses cluster around nothing
    long i = attempt == 0 ? start : ThreadLocalRandom.current().nextLong(ranges.ipCount());
    String ip = ranges.ip(i);
    return take(claim, IP_KEYS + ip).thenCompose(ok -> ok ? CompletableFuture.completedFuture(ip)
        : tryIps(claim, start, attempt + 1));
  }

  private CompletableFuture<Integer> claimRandomPort(Claim claim) {
    return tryPorts(claim, 0);
  }

  private CompletableFuture<Integer> tryPorts(Claim claim, int attempt) {
    int size = ranges.portMax() - ranges.portMin() + 1;
    if (attempt >= RANDOM_ATTEMPTS) {
      return CompletableFuture.failedFuture(new ApiException(Statuses.internalError(
          "failed to allocate a nodePort: range is full")));
    }
    int n = ranges.portMin() + ThreadLocalRandom.current().nextInt(size);
    return take(claim, PORT_KEYS + n).thenCompose(ok -> ok ? CompletableFuture.completedFuture(n)
        : tryPorts(claim, attempt + 1));
  }

  /** CREATE of the key: true when this claim got it, false when it was taken. */
  private CompletableFuture<Boolean> take(Claim claim, String key) {
    GenericRecord cmd = Envelopes.command(Op.CREATE, key, KeyValues.RESOURCE, ALLOCATOR, client.newRequestId())
        .replyPartition(client.replyPartition())
        .object(KeyValues.of(claim.owner.getBytes(StandardCharsets.UTF_8), 0)).build();
    return client.send(cmd).thenApply(reply -> {
      if (reply.success()) {
        claim.taken.add(key);
        return true;
      }
      if (reply.code() == 409) {
        return false;
      }
      throw new ApiException(Statuses.internalError("cannot allocate " + key + ": " + reply.code() + " "
          + reply.message()));
    });
  }

  private CompletableFuture<Void> releaseAll(String owner, List<String> keys) {
    List<CompletableFuture<ReplyView>> all = new ArrayList<>();
    for (String key : keys) {
      all.add(releaseOne(owner, key));
    }
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).exceptionally(e -> {
      LOG.warn("[api allocation {}] releasing {} failed: {}", owner, keys, e.toString());
      return null;
    });
  }

  /** Deletes the key if it still names {@code owner}, in one transaction of the store. */
  private CompletableFuture<ReplyView> releaseOne(String owner, String key) {
    ByteString k = ByteString.copyFromUtf8(key);
    TxnRequest txn = TxnRequest.newBuilder()
        .addCompare(Compare.newBuilder().setKey(k).setTarget(Compare.CompareTarget.VALUE)
            .setResult(Compare.CompareResult.EQUAL).setValue(ByteString.copyFromUtf8(owner)))
        .addSuccess(RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(k)))
        .build();
    GenericRecord cmd = Envelopes.command(Op.UPDATE, key, KeyValues.TXN_RESOURCE, ALLOCATOR, client.newRequestId())
        .replyPartition(client.replyPartition()).object(KeyValues.of(txn.toByteArray(), 0)).build();
    return client.send(cmd);
  }

  // ---- the Service's fields

  static String typeOf(GenericRecord spec) {
    Object t = spec.get("type");
    return t == null || t.toString().isEmpty() ? "ClusterIP" : t.toString();
  }

  static boolean needsNodePorts(GenericRecord spec) {
    String t = typeOf(spec);
    if (t.equals("NodePort")) {
      return true;
    }
    return t.equals("LoadBalancer") && !Boolean.FALSE.equals(spec.get("allocateLoadBalancerNodePorts"));
  }

  static List<String> clusterIPs(GenericRecord spec) {
    List<String> out = new ArrayList<>();
    Object list = spec.get("clusterIPs");
    if (list instanceof List<?> l) {
      for (Object o : l) {
        if (o != null && !o.toString().isEmpty()) {
          out.add(o.toString());
        }
      }
    }
    Object one = spec.get("clusterIP");
    if (out.isEmpty() && one != null && !one.toString().isEmpty()) {
      out.add(one.toString());
    }
    return out;
  }

  private static void setClusterIp(GenericRecord spec, String ip) {
    spec.put("clusterIP", ip);
    spec.put("clusterIPs", new ArrayList<>(List.of(ip)));
  }

  @SuppressWarnings("unchecked")
  static Set<Integer> nodePorts(GenericRecord spec) {
    Set<Integer> out = new LinkedHashSet<>();
    List<GenericRecord> ports = (List<GenericRecord>) spec.get("ports");
    if (ports != null) {
      for (GenericRecord p : ports) {
        Integer n = intOf(p.get("nodePort"));
        if (n != null && n != 0) {
          out.add(n);
        }
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Integer oldNodePort(GenericRecord oldSpec, GenericRecord port) {
    if (!needsNodePorts(oldSpec)) {
      return null;
    }
    List<GenericRecord> ports = (List<GenericRecord>) oldSpec.get("ports");
    if (ports == null) {
      return null;
    }
    for (GenericRecord p : ports) {
      if (java.util.Objects.equals(intOf(p.get("port")), intOf(port.get("port")))
          && protocol(p).equals(protocol(port)) && intOf(p.get("nodePort")) != null) {
        return intOf(p.get("nodePort"));
      }
    }
    return null;
  }

  private static String protocol(GenericRecord port) {
    Object p = port.get("protocol");
    return p == null || p.toString().isEmpty() ? "TCP" : p.toString();
  }

  private static Integer intOf(Object o) {
    return o instanceof Number n ? n.intValue() : null;
  }

  private static ApiException ipInvalid(ResourceType type, String name, String ip, String why) {
    return new ApiException(Statuses.invalid(type, name, List.of(new Cause("FieldValueInvalid",
        "Invalid value: []string{\"" + ip + "\"}: failed to allocate IP " + ip + ": " + why, "spec.clusterIPs"))));
  }

  private static ApiException portInvalid(ResourceType type, String name, String field, int port, String why) {
    return new ApiException(Statuses.invalid(type, name, List.of(new Cause("FieldValueInvalid",
        "Invalid value: " + port + ": " + why, field))));
  }
}
