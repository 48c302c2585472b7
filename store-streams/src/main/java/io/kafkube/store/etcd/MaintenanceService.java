package io.kafkube.store.etcd;

import io.etcd.jetcd.api.AlarmRequest;
import io.etcd.jetcd.api.AlarmResponse;
import io.etcd.jetcd.api.ClusterGrpc;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.Member;
import io.etcd.jetcd.api.MemberListRequest;
import io.etcd.jetcd.api.MemberListResponse;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;
import io.grpc.stub.StreamObserver;

/** etcd's Maintenance service (Status, Alarm: what {@code etcdctl endpoint status/health} use). */
final class MaintenanceService extends MaintenanceGrpc.MaintenanceImplBase {
  /** The etcd API version this endpoint speaks. */
  static final String VERSION = "3.4.0";

  private final EtcdBackend b;

  MaintenanceService(EtcdBackend backend) {
    this.b = backend;
  }

  @Override
  public void status(StatusRequest req, StreamObserver<StatusResponse> obs) {
    long rev = b.view.revision();
    obs.onNext(StatusResponse.newBuilder().setHeader(b.header(rev)).setVersion(VERSION)
        .setDbSize(b.view.approximateBytes()).setLeader(b.memberId).setRaftIndex(rev).setRaftTerm(1).build());
    obs.onCompleted();
  }

  /** No alarms are ever raised (the log's retention, not a quota, bounds its size). */
  @Override
  public void alarm(AlarmRequest req, StreamObserver<AlarmResponse> obs) {
    obs.onNext(AlarmResponse.newBuilder().setHeader(b.header()).build());
    obs.onCompleted();
  }

  /** etcd's Cluster service: this endpoint is the one member. */
  static final class Cluster extends ClusterGrpc.ClusterImplBase {
    private final EtcdBackend b;
    private final java.util.function.Supplier<String> url;

    Cluster(EtcdBackend backend, java.util.function.Supplier<String> url) {
      this.b = backend;
      this.url = url;
    }

    @Override
    public void memberList(MemberListRequest req, StreamObserver<MemberListResponse> obs) {
      obs.onNext(MemberListResponse.newBuilder().setHeader(b.header()).addMembers(Member.newBuilder()
          .setID(b.memberId).setName("kafkube").addClientURLs(url.get()).addPeerURLs(url.get())).build());
      obs.onCompleted();
    }
  }
}
