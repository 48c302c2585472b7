package io.kafkube.store.etcd;

import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseGrantResponse;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import io.etcd.jetcd.api.LeaseRevokeRequest;
import io.etcd.jetcd.api.LeaseRevokeResponse;
import io.etcd.jetcd.api.LeaseTimeToLiveRequest;
import io.etcd.jetcd.api.LeaseTimeToLiveResponse;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;

/** etcd's Lease service: grant, revoke (deleting the attached keys), keep-alive, time-to-live. */
final class LeaseService extends LeaseGrpc.LeaseImplBase {
  private final EtcdBackend b;

  LeaseService(EtcdBackend backend) {
    this.b = backend;
  }

  @Override
  public void leaseGrant(LeaseGrantRequest req, StreamObserver<LeaseGrantResponse> obs) {
    try {
      Leases.Lease l = b.leases.grant(req.getID(), req.getTTL());
      b.persistLease(l.id(), l.grantedTtl()).thenApply(r -> {
        if (!r.success()) {
          b.leases.revoke(l.id());
          throw EtcdErrors.fromStore(r.code(), r.message());
        }
        return LeaseGrantResponse.newBuilder().setHeader(b.header(r.revision())).setID(l.id())
            .setTTL(l.grantedTtl()).build();
      }).whenComplete((r, e) -> {
        if (e != null) {
          b.leases.revoke(l.id());
        }
        KvService.reply(obs, r, e);
      });
    } catch (StatusRuntimeException e) {
      obs.onError(e);
    }
  }

  @Override
  public void leaseRevoke(LeaseRevokeRequest req, StreamObserver<LeaseRevokeResponse> obs) {
    if (!b.leases.revoke(req.getID())) {
      obs.onError(EtcdErrors.leaseNotFound());
      return;
    }
    b.view.sync().thenCompose(v -> b.deleteLeaseKeys(req.getID()))
        .thenApply(v -> LeaseRevokeResponse.newBuilder().setHeader(b.header()).build())
        .whenComplete((r, e) -> KvService.reply(obs, r, e));
  }

  @Override
  public StreamObserver<LeaseKeepAliveRequest> leaseKeepAlive(StreamObserver<LeaseKeepAliveResponse> obs) {
    return new StreamObserver<>() {
      @Override
      public void onNext(LeaseKeepAliveRequest req) {
        Leases.Lease l = b.leases.keepAlive(req.getID());
        LeaseKeepAliveResponse r = LeaseKeepAliveResponse.newBuilder().setHeader(b.header()).setID(req.getID())
            .setTTL(l == null ? 0 : l.grantedTtl()).build();
        synchronized (obs) {
          obs.onNext(r);
        }
      }

      @Override
      public void onError(Throwable t) {
        // the client went away
      }

      @Override
      public void onCompleted() {
        synchronized (obs) {
          obs.onCompleted();
        }
      }
    };
  }

  @Override
  public void leaseTimeToLive(LeaseTimeToLiveRequest req, StreamObserver<LeaseTimeToLiveResponse> obs) {
    Leases.Lease l = b.leases.get(req.getID());
    LeaseTimeToLiveResponse.Builder r = LeaseTimeToLiveResponse.newBuilder().setHeader(b.header())
        .setID(req.getID());
    if (l == null) {
      r.setTTL(-1);
    } else {
      r.setTTL(l.remainingSeconds(b.leases.now())).setGrantedTTL(l.grantedTtl());
      if (req.getKeys()) {
        for (KvEntry e : b.view.withLease(l.id())) {
          r.addKeys(e.key());
        }
      }
    }
    obs.onNext(r.build());
    obs.onCompleted();
  }
}
