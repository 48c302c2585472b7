package io.kafkube.scheduler.framework;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Data of one scheduling cycle (one pod against every node), shared between the plugins so that
 * what depends only on the pod is computed once per cycle, not once per node.
 */
public final class CycleState {
  private final Map<Key<?>, Object> data = new HashMap<>();
  /** The filters that run in this cycle: the profile's less those whose PreFilter said Skip; null: all. */
  private List<FilterPlugin> filters;

  /** A typed slot; plugins keep their key in a constant. */
  public static final class Key<T> {
    private final String name;

    public Key(String name) {
      this.name = name;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** Data a plugin keeps in a slot that changes when nominated pods are added (deep-copied by {@link #copy}). */
  public interface Data {
    Data copy();
  }

  /**
   * A copy of this state for a what-if (kube's CycleState.Clone): {@link Data} values are copied,
   * others shared.
   */
  public CycleState copy() {
    CycleState c = new CycleState();
    data.forEach((k, v) -> c.data.put(k, v instanceof Data d ? d.copy() : v));
    c.filters = filters;
    return c;
  }

  /** Leaves out of this cycle's filters those whose PreFilter said Skip (the others keep their order). */
  void runOnly(List<FilterPlugin> active) {
    filters = List.copyOf(active);
  }

  /** Runs every filter of the profile again (a what-if with pods added that a skipped filter may care about). */
  void runAll() {
    filters = null;
  }

  /** The filters this cycle runs, of the profile's {@code all}. */
  List<FilterPlugin> filters(List<FilterPlugin> all) {
    return filters == null ? all : filters;
  }

  /** The value in a slot, or null. */
  @SuppressWarnings("unchecked")
  public <T> T get(Key<T> key) {
    return (T) data.get(key);
  }

  @SuppressWarnings("unchecked")
  public <T> T computeIfAbsent(Key<T> key, Supplier<T> compute) {
    return (T) data.computeIfAbsent(key, k -> compute.get());
  }
}
