package io.kafkube.store.internal;

import io.kafkube.registry.serde.EncodedOnce;
import io.kafkube.schemas.envelope.CommandView;
import io.kafkube.schemas.envelope.Envelopes;
import io.kafkube.schemas.envelope.KeyValues;
import io.kafkube.schemas.envelope.ReplyView;
import io.kafkube.schemas.meta.Meta;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies each command to the current object (via {@link Mutations}) and emits what changed: the
 * new object or a tombstone to the kind's state topic, a Change to history, the bound pod to
 * assignments, and a Reply unless the sender reads none ({@link CommandView#NO_REPLY}, the scheduler's
 * commands: a bound pod's Reply would carry the whole pod to a partition no one reads) or learns the
 * outcome from the Change ({@link CommandView#replyInHistory()}, the API server's, whose view reads
 * history anyway: a create or an update that is written). Under
 * exactly-once, all of these commit atomically with the command's offset.
 *
 * <p>The current objects are kept in memory ({@link CurrentObjects}) and the state topics are their
 * changelog: {@link #init} loads the task's partition of them, so a task that starts, moves, or is
 * revived after an aborted transaction sees exactly the objects its committed commands left.
 */
public final class CommandProcessor implements Processor<String, GenericRecord, String, GenericRecord> {
  public static final String STATE_SINK = "state-sink";
  public static final String HISTORY_SINK = "history-sink";
  public static final String REPLIES_SINK = "replies-sink";
  public static final String ASSIGNMENTS_SINK = "assignments-sink";
  private static final Logger LOG = LoggerFactory.getLogger(CommandProcessor.class);

  private final Mutations mutations;
  private final KvMutations kvMutations;
  private final int partitions;
  private final StateRestore.Loader restore;
  private final CurrentObjects objects = new CurrentObjects();
  private ProcessorContext<String, GenericRecord> context;

  /** @param restore loads a partition's current objects from the state topics when the task starts */
  public CommandProcessor(Mutations mutations, int partitions, StateRestore.Loader restore) {
    this.mutations = mutations;
    this.kvMutations = new KvMutations(partitions);
    this.partitions = partitions;
    this.restore = restore;
  }

  @Override
  public void init(ProcessorContext<String, GenericRecord> context) {
    this.context = context;
    objects.clear();
    int partition = context.taskId().partition();
    long read = restore.load(partition, objects);
    LOG.info("[store] task {} ready: {} objects from {} state records", context.taskId(), objects.size(), read);
  }

  @Override
  public void close() {
    objects.clear();
  }

  @Override
  public void process(Record<String, GenericRecord> record) {
    // The object a command writes goes to the store, the state topic, the history and the reply (and, bound,
    // the assignments): encoded once, copied into the others.
    try (EncodedOnce scope = EncodedOnce.open()) {
      processCommand(record);
    }
  }

  private void processCommand(Record<String, GenericRecord> record) {
    RecordMetadata md = context.recordMetadata().orElseThrow();
    if (record.value() == null || record.key() == null) {
      LOG.warn("Skipping command with null key or value. topic=[{}] partition=[{}] offset=[{}]",
          md.topic(), md.partition(), md.offset());
      return;
    }
    CommandView cmd = new CommandView(record.value());
    long revision = md.offset() * partitions + md.partition();
    if (KvMutations.handles(cmd)) {
      processKeyValues(record, cmd, revision, md.partition());
      return;
    }
    Outcome out;
    try {
      out = mutations.apply(cmd, objects::get, revision, md.partition(), record.timestamp());
    } catch (RuntimeException e) {
      LOG.warn("Skipping malformed command key=[{}] topic=[{}] partition=[{}] offset=[{}]: {}",
          record.key(), md.topic(), md.partition(), md.offset(), e.toString());
      return;
    }
    boolean write = out.write() && !cmd.dryRun();
    EncodedOnce.mark(out.after());
    // the current object was written as these bytes when it became current: its history "before" copies them
    EncodedOnce.mark(out.before(), objects.encodingOf(out.before()));
    EncodedOnce.mark(out.reply());
    if (write) {
      if (out.after() == null) {
        objects.remove(out.key());
      } else {
        objects.put(out.key(), out.after());
      }
      context.forward(record.withKey(out.key()).withValue(out.after()), STATE_SINK);
      objects.encoded(out.key(), out.after(), EncodedOnce.encodingOf(out.after()));
      GenericRecord change = Envelopes.change(revision, out.verb(), out.key(), cmd.resource(), cmd.userRecord(),
          record.timestamp(), cmd.requestId(), out.before(), out.after());
      context.forward(record.withKey(out.key()).withValue(change), HISTORY_SINK);
      forwardAssignments(record, out);
      if (LOG.isDebugEnabled()) {
        LOG.debug("[store {} rev={}] {} by {} -> {}", out.key(), revision, out.verb(), cmd.user().username(),
            out.code());
      }
    }
    if (!cmd.wantsReply() || write && cmd.replyInHistory() && out.code() == ReplyView.codeOfChange(out.verb())
        && out.reply() == out.after()) {
      return; // no reader, or the sender learns this outcome from the Change written above
    }
    long replyRevision = write ? revision : out.success() && out.reply() != null && !cmd.dryRun()
        ? parseRevision(Meta.resourceVersion(out.reply())) : -1;
    GenericRecord reply = Envelopes.reply(cmd.requestId(), out.code(), replyRevision, out.reply(), out.status(),
        cmd.replyPartition());
    context.forward(record.withKey(cmd.requestId()).withValue(reply), REPLIES_SINK);
  }

  /** Raw etcd-style keys: state.kv, one history Change per changed key, all with the command's revision. */
  private void processKeyValues(Record<String, GenericRecord> record, CommandView cmd, long revision, int partition) {
    KvMutations.Result out;
    try {
      out = kvMutations.apply(cmd, new KvMutations.Keys() {
        @Override
        public GenericRecord get(String key) {
          return objects.get(key);
        }

        @Override
        public List<String> range(String from, String to) {
          return objects.range(from, to);
        }
      }, revision, partition);
    } catch (RuntimeException e) {
      LOG.warn("Skipping malformed KeyValue command key=[{}] partition=[{}]: {}", record.key(), partition,
          e.toString());
      return;
    }
    boolean dryRun = cmd.dryRun();
    if (!dryRun) {
      for (KvMutations.Change c : out.changes()) {
        if (c.after() == null) {
          objects.remove(c.key());
        } else {
          objects.put(c.key(), c.after());
        }
        context.forward(record.withKey(c.key()).withValue(c.after()), STATE_SINK);
        GenericRecord change = Envelopes.change(revision, c.verb(), c.key(), KeyValues.RESOURCE, cmd.userRecord(),
            record.timestamp(), cmd.requestId(), c.before(), c.after());
        context.forward(record.withKey(c.key()).withValue(change), HISTORY_SINK);
      }
    }
    if (!cmd.wantsReply()) {
      return;
    }
    long replyRevision = out.status() == null && !dryRun ? revision : -1;
    GenericRecord reply = Envelopes.reply(cmd.requestId(), out.code(), replyRevision, out.reply(), out.status(),
        cmd.replyPartition());
    context.forward(record.withKey(cmd.requestId()).withValue(reply), REPLIES_SINK);
  }

  private void forwardAssignments(Record<String, GenericRecord> record, Outcome out) {
    String before = Mutations.nodeOf(out.before());
    String after = Mutations.nodeOf(out.after());
    if (before != null && !before.isEmpty() && !before.equals(after)) {
      context.forward(record.withKey(before + out.key()).withValue(null), ASSIGNMENTS_SINK);
    }
    if (after != null && !after.isEmpty()) {
      context.forward(record.withKey(after + out.key()).withValue(out.after()), ASSIGNMENTS_SINK);
    }
  }

  private static long parseRevision(String rv) {
    try {
      return rv == null ? -1 : Long.parseLong(rv);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
