package io.kafkube.store.etcd;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchGrpc;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * etcd's Watch service: watches on a key or a range, from now or from a start revision (the changes
 * before the view's position are read back from history), with prev_kv, NOPUT/NODELETE filters,
 * progress notifications and cancel.
 */
final class WatchService extends WatchGrpc.WatchImplBase {
  private static final Logger LOG = LoggerFactory.getLogger(WatchService.class);

  private final EtcdBackend b;
  private final ScheduledExecutorService timer;

  WatchService(EtcdBackend backend, ScheduledExecutorService timer) {
    this.b = backend;
    this.timer = timer;
  }

  @Override
  public StreamObserver<WatchRequest> watch(StreamObserver<WatchResponse> out) {
    return new Session(out);
  }

  /** One client stream: its watchers, numbered from 0 as etcd does. */
  private final class Session implements StreamObserver<WatchRequest> {
    private final StreamObserver<WatchResponse> out;
    private final AtomicLong nextId = new AtomicLong();
    private final Map<Long, Watcher> watchers = new ConcurrentHashMap<>();
    private volatile boolean closed;

    Session(StreamObserver<WatchResponse> out) {
      this.out = out;
    }

    void send(WatchResponse r) {
      synchronized (this) {
        if (closed) {
          return;
        }
        try {
          out.onNext(r);
        } catch (RuntimeException e) {
          LOG.debug("[etcd] watch stream send failed", e);
          closeAll();
        }
      }
    }

    @Override
    public void onNext(WatchRequest req) {
      switch (req.getRequestUnionCase()) {
        case CREATE_REQUEST -> create(req.getCreateRequest());
        case CANCEL_REQUEST -> {
          long id = req.getCancelRequest().getWatchId();
          Watcher w = watchers.remove(id);
          if (w != null) {
            w.stop();
          }
          send(WatchResponse.newBuilder().setHeader(b.header()).setWatchId(id).setCanceled(true).build());
        }
        case PROGRESS_REQUEST -> b.view.sync().whenComplete((v, e) ->
            send(WatchResponse.newBuilder().setHeader(b.header()).setWatchId(-1).build()));
        default -> { }
      }
    }

    private void create(WatchCreateRequest c) {
      long id = nextId.getAndIncrement();
      ByteString key = c.getKey();
      ByteString end = c.getRangeEnd();
      boolean emptyRange = !end.isEmpty() && !(end.size() == 1 && end.byteAt(0) == 0)
          && ByteString.unsignedLexicographicalComparator().compare(key, end) >= 0;
      if (key.isEmpty() && end.isEmpty() || emptyRange) {
        send(WatchResponse.newBuilder().setHeader(b.header()).setWatchId(id).setCreated(true).setCanceled(true)
            .setCancelReason(emptyRange ? "mvcc: watcher range is empty" : "etcdserver: key is not provided")
            .build());
        return;
      }
      Watcher w = new Watcher(this, id, c, KvService.inRange(key, end).and(k -> !EtcdBackend.hidden(k)));
      watchers.put(id, w);
      send(WatchResponse.newBuilder().setHeader(b.header()).setWatchId(id).setCreated(true).build());
      w.start();
    }

    @Override
    public void onError(Throwable t) {
      closeAll();
    }

    @Override
    public void onCompleted() {
      closeAll();
      synchronized (this) {
        try {
          out.onCompleted();
        } catch (RuntimeException e) {
          LOG.debug("[etcd] closing a watch stream", e);
        }
      }
    }

    private void closeAll() {
      closed = true;
      watchers.values().forEach(Watcher::stop);
      watchers.clear();
    }
  }

  /** One watch: first the history backlog (if any), then the view's live changes. */
  private final class Watcher implements KvView.Listener {
    private final Session session;
    private final long id;
    private final WatchCreateRequest req;
    private final Predicate<ByteString> inRange;
    private final boolean noPut;
    private final boolean noDelete;
    private final List<KvView.Change> buffer = new ArrayList<>();
    private boolean live;
    /**
     * Whether live changes are filtered by the start revision: only for a start in the future. Revisions
     * order the changes of one partition; a change in a lagging partition can be applied after one with
     * a higher revision in another, so a watch that starts at or before the view's revision takes every
     * change applied after it subscribed.
     */
    private boolean filterLive;
    private volatile boolean stopped;
    private ScheduledFuture<?> progress;

    Watcher(Session session, long id, WatchCreateRequest req, Predicate<ByteString> inRange) {
      this.session = session;
      this.id = id;
      this.req = req;
      this.inRange = inRange;
      this.noPut = req.getFiltersList().contains(WatchCreateRequest.FilterType.NOPUT);
      this.noDelete = req.getFiltersList().contains(WatchCreateRequest.FilterType.NODELETE);
    }

    void start() {
      long start = req.getStartRevision();
      filterLive = start > b.view.revision() + 1;
      long[] from = b.view.subscribe(this);
      if (req.getProgressNotify()) {
        long every = b.config.progressInterval().toMillis();
        progress = timer.scheduleAtFixedRate(() -> session.send(WatchResponse.newBuilder().setHeader(b.header())
            .setWatchId(id).build()), every, every, TimeUnit.MILLISECONDS);
      }
      if (start <= 0 || start > b.view.revision()) {
        goLive();
        return;
      }
      b.executor.execute(() -> {
        try {
          List<Integer> parts = new ArrayList<>();
          if (req.getRangeEnd().isEmpty()) {
            parts.add(b.partitionOf(EtcdBackend.keyString(req.getKey())));
          } else {
            for (int p = 0; p < from.length; p++) {
              parts.add(p);
            }
          }
          List<KvView.Change> backlog = b.history.since(start, parts, from, inRange);
          for (KvView.Change c : backlog) {
            deliver(c, true);
          }
          goLive();
        } catch (RuntimeException e) {
          LOG.warn("[etcd] watch {} could not read history", id, e);
          session.send(WatchResponse.newBuilder().setHeader(b.header()).setWatchId(id).setCanceled(true)
              .setCancelReason("kafkube: cannot read history: " + e.getMessage()).build());
          stop();
        }
      });
    }

    private void goLive() {
      synchronized (this) {
        for (KvView.Change c : buffer) {
          deliver(c, false);
        }
        buffer.clear();
        live = true;
      }
    }

    @Override
    public void onChange(KvView.Change c) {
      if (stopped || !inRange.test(c.key())) {
        return;
      }
      synchronized (this) {
        if (!live) {
          buffer.add(c);
          return;
        }
      }
      deliver(c, false);
    }

    private void deliver(KvView.Change c, boolean fromHistory) {
      if (stopped || (fromHistory || filterLive) && c.revision() < req.getStartRevision()) {
        return;
      }
      boolean delete = c.after() == null;
      if (delete && noDelete || !delete && noPut) {
        return;
      }
      Event.Builder ev = Event.newBuilder().setType(delete ? Event.EventType.DELETE : Event.EventType.PUT);
      if (delete) {
        ev.setKv(KeyValue.newBuilder().setKey(c.key()).setModRevision(c.revision()));
      } else {
        ev.setKv(c.after().toProto(false));
      }
      if (req.getPrevKv() && c.before() != null) {
        ev.setPrevKv(c.before().toProto(false));
      }
      session.send(WatchResponse.newBuilder().setHeader(b.header(Math.max(c.revision(), b.view.revision())))
          .setWatchId(id).addEvents(ev).build());
    }

    void stop() {
      stopped = true;
      b.view.unsubscribe(this);
      if (progress != null) {
        progress.cancel(false);
      }
    }
  }
}
