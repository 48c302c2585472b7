package io.kafkube.registry.internals;

import io.kafkube.registry.client.CompatibilityLevel;
import io.kafkube.registry.internals.RegistryRecord.Config;
import io.kafkube.registry.internals.RegistryRecord.IdWatermark;
import io.kafkube.registry.internals.RegistryRecord.Leader;
import io.kafkube.registry.internals.RegistryRecord.SchemaTombstone;
import io.kafkube.registry.internals.RegistryRecord.SchemaVersion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.avro.Schema;

/**
 * The registry's whole state, rebuilt by applying {@link RegistryRecord}s in log order. Applying a
 * record twice has no further effect. Thread-safe: every method is atomic; queries return copies.
 */
public final class RegistryState {

  /** A schema known by id. */
  public record StoredSchema(int id, String canonical, Schema schema) {}

  /** One version of a subject. */
  public record Entry(String subject, int version, int id, boolean deleted, StoredSchema stored) {
    public Schema schema() {
      return stored.schema();
    }

    public String canonical() {
      return stored.canonical();
    }
  }

  private record Ref(String subject, int version) {}

  private final Map<Integer, StoredSchema> byId = new HashMap<>();
  private final Map<String, Integer> idByCanonical = new HashMap<>();
  private final Map<Integer, Set<Ref>> usages = new HashMap<>();
  private final TreeMap<String, TreeMap<Integer, Entry>> subjects = new TreeMap<>();
  private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
  private CompatibilityLevel globalLevel;
  private int maxId;
  private Leader leader;

  /** Applies one record of the log. */
  public synchronized void apply(RegistryRecord record) {
    if (record instanceof SchemaVersion v) {
      applyVersion(v);
    } else if (record instanceof SchemaTombstone t) {
      removeVersion(t.subject(), t.version());
    } else if (record instanceof Config c) {
      if (c.subject() == null) {
        globalLevel = c.level();
      } else if (c.level() == null) {
        subjectLevels.remove(c.subject());
      } else {
        subjectLevels.put(c.subject(), c.level());
      }
    } else if (record instanceof IdWatermark w) {
      maxId = Math.max(maxId, w.maxId());
    } else if (record instanceof Leader l) {
      leader = l.url() == null ? null : l;
    }
  }

  private void applyVersion(SchemaVersion v) {
    StoredSchema stored = byId.get(v.id());
    if (stored == null || !stored.canonical().equals(v.schema())) {
      Schema parsed = Schemas.parse(v.schema(), Schemas.AVRO);
      stored = new StoredSchema(v.id(), Schemas.canonical(parsed), parsed);
    }
    removeVersion(v.subject(), v.version());
    byId.put(v.id(), stored);
    idByCanonical.merge(stored.canonical(), v.id(), Math::min);
    subjects.computeIfAbsent(v.subject(), s -> new TreeMap<>())
        .put(v.version(), new Entry(v.subject(), v.version(), v.id(), v.deleted(), stored));
    usages.computeIfAbsent(v.id(), i -> new LinkedHashSet<>()).add(new Ref(v.subject(), v.version()));
    maxId = Math.max(maxId, v.id());
  }

  private void removeVersion(String subject, int version) {
    TreeMap<Integer, Entry> versions = subjects.get(subject);
    if (versions == null) {
      return;
    }
    Entry old = versions.remove(version);
    if (versions.isEmpty()) {
      subjects.remove(subject);
    }
    if (old == null) {
      return;
    }
    Set<Ref> refs = usages.get(old.id());
    if (refs != null) {
      refs.remove(new Ref(subject, version));
      if (refs.isEmpty()) {
        usages.remove(old.id());
        StoredSchema gone = byId.remove(old.id());
        if (gone != null) {
          idByCanonical.remove(gone.canonical(), old.id());
        }
      }
    }
  }

  public synchronized Optional<StoredSchema> schemaById(int id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** The id of a schema in canonical form, if any subject holds it (deleted or not). */
  public synchronized Optional<Integer> idOf(String canonical) {
    return Optional.ofNullable(idByCanonical.get(canonical));
  }

  /** The highest id ever handed out (ids are never reused). */
  public synchronized int maxId() {
    return maxId;
  }

  /** Subjects, sorted; with soft-deleted ones when asked. */
  public synchronized List<String> subjects(boolean includeDeleted) {
    List<String> out = new ArrayList<>();
    subjects.forEach((name, versions) -> {
      if (includeDeleted || versions.values().stream().anyMatch(e -> !e.deleted())) {
        out.add(name);
      }
    });
    return out;
  }

  /** Versions of a subject, ascending; empty when the subject is unknown. */
  public synchronized List<Entry> versions(String subject, boolean includeDeleted) {
    TreeMap<Integer, Entry> versions = subjects.get(subject);
    if (versions == null) {
      return List.of();
    }
    List<Entry> out = new ArrayList<>();
    for (Entry e : versions.values()) {
      if (includeDeleted || !e.deleted()) {
        out.add(e);
      }
    }
    return out;
  }

  /** Where a schema id is used, sorted by subject and version. */
  public synchronized List<Entry> usagesOf(int id, boolean includeDeleted) {
    List<Entry> out = new ArrayList<>();
    for (Ref r : usages.getOrDefault(id, Set.of())) {
      Entry e = subjects.get(r.subject()).get(r.version());
      if (includeDeleted || !e.deleted()) {
        out.add(e);
      }
    }
    out.sort((a, b) -> a.subject().equals(b.subject())
        ? Integer.compare(a.version(), b.version()) : a.subject().compareTo(b.subject()));
    return out;
  }

  public synchronized Optional<CompatibilityLevel> subjectLevel(String subject) {
    return Optional.ofNullable(subjectLevels.get(subject));
  }

  /** The global level (configured, else the default). */
  public synchronized CompatibilityLevel globalLevel() {
    return globalLevel == null ? CompatibilityLevel.DEFAULT : globalLevel;
  }

  /** The level in force for a subject. */
  public synchronized CompatibilityLevel effectiveLevel(String subject) {
    CompatibilityLevel own = subjectLevels.get(subject);
    return own != null ? own : globalLevel();
  }

  /** The instance that last announced itself as the writer. */
  public synchronized Optional<Leader> leader() {
    return Optional.ofNullable(leader);
  }
}
