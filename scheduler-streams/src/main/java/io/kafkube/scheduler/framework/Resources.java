package io.kafkube.scheduler.framework;

import io.kafkube.schemas.validation.Quantity;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An immutable amount of resources by name ({@code cpu}, {@code memory}, {@code nvidia.com/gpu}, …),
 * every amount in milli-units so that cpu and byte quantities share one representation.
 */
public final class Resources {
  public static final String CPU = "cpu";
  public static final String MEMORY = "memory";
  public static final String EPHEMERAL_STORAGE = "ephemeral-storage";
  public static final String PODS = "pods";
  public static final Resources NONE = new Resources(new TreeMap<>());

  private final Map<String, Long> milli;
  // The resources every filter and score reads, unboxed: the scan of thousands of nodes per cycle
  // reads them without a map lookup.
  private final long cpu;
  private final long memory;
  private final long pods;
  // Every other resource (ephemeral-storage, extended resources), as parallel arrays for the fit check.
  private final String[] otherNames;
  private final long[] otherMilli;

  private Resources(TreeMap<String, Long> milli) {
    this.milli = Collections.unmodifiableMap(milli);
    this.cpu = milli.getOrDefault(CPU, 0L);
    this.memory = milli.getOrDefault(MEMORY, 0L);
    this.pods = milli.getOrDefault(PODS, 0L);
    int others = milli.size() - (milli.containsKey(CPU) ? 1 : 0) - (milli.containsKey(MEMORY) ? 1 : 0)
        - (milli.containsKey(PODS) ? 1 : 0);
    this.otherNames = new String[others];
    this.otherMilli = new long[others];
    int i = 0;
    for (Map.Entry<String, Long> e : milli.entrySet()) {
      String k = e.getKey();
      if (!k.equals(CPU) && !k.equals(MEMORY) && !k.equals(PODS)) {
        otherNames[i] = k;
        otherMilli[i++] = e.getValue();
      }
    }
  }

  /** Milli-cpu. */
  public long cpu() {
    return cpu;
  }

  /** Memory in milli-bytes. */
  public long memory() {
    return memory;
  }

  /** The pod count in milli-units. */
  public long pods() {
    return pods;
  }

  /** How many resources other than cpu, memory and pods this holds. */
  public int otherCount() {
    return otherNames.length;
  }

  /** The name of the i-th resource other than cpu, memory and pods (in name order). */
  public String otherName(int i) {
    return otherNames[i];
  }

  /** The amount of the i-th resource other than cpu, memory and pods. */
  public long otherMilli(int i) {
    return otherMilli[i];
  }

  /** Parses a Kubernetes resource list ({@code {cpu: 500m, memory: 1Gi}}); null gives {@link #NONE}. */
  public static Resources parse(Map<String, String> list) {
    if (list == null || list.isEmpty()) {
      return NONE;
    }
    TreeMap<String, Long> m = new TreeMap<>();
    for (Map.Entry<String, String> e : list.entrySet()) {
      if (e.getValue() != null) {
        m.put(e.getKey(), Quantity.parse(e.getValue()).milliValue());
      }
    }
    return new Resources(m);
  }

  public static Resources ofMilli(Map<String, Long> milli) {
    return new Resources(new TreeMap<>(milli));
  }

  /** The amount of a resource in milli-units; 0 when absent. */
  public long milli(String name) {
    switch (name) {
      case CPU:
        return cpu;
      case MEMORY:
        return memory;
      case PODS:
        return pods;
      default:
        return milli.getOrDefault(name, 0L);
    }
  }

  public boolean has(String name) {
    return milli.containsKey(name);
  }

  public Set<String> names() {
    return milli.keySet();
  }

  public Resources plus(Resources other) {
    TreeMap<String, Long> m = new TreeMap<>(milli);
    other.milli.forEach((k, v) -> m.merge(k, v, Long::sum));
    return new Resources(m);
  }

  public Resources minus(Resources other) {
    TreeMap<String, Long> m = new TreeMap<>(milli);
    other.milli.forEach((k, v) -> m.merge(k, -v, Long::sum));
    return new Resources(m);
  }

  /** Per resource, the larger of the two amounts. */
  public Resources max(Resources other) {
    TreeMap<String, Long> m = new TreeMap<>(milli);
    other.milli.forEach((k, v) -> m.merge(k, v, Math::max));
    return new Resources(m);
  }

  /** This, with every resource absent here taken from {@code fallback}. */
  public Resources orElse(Resources fallback) {
    TreeMap<String, Long> m = new TreeMap<>(fallback.milli);
    m.putAll(milli);
    return new Resources(m);
  }

  public Map<String, Long> asMilliMap() {
    return milli;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Resources r && r.milli.equals(milli);
  }

  @Override
  public int hashCode() {
    return milli.hashCode();
  }

  @Override
  public String toString() {
    return milli.toString();
  }
}
