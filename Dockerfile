# The starplan image: a Debian builder runs scripts/image-build (HiGHS and the release
# binary, checked), and a slim Debian runtime holds the binary alone, run as a non-root
# user with `starplan` as the entry point. README, "Cluster": how to build it.
#
#   podman build -t registry.example.com/starplan:0.2.0 .
#   docker build -t registry.example.com/starplan:0.2.0 .
#
# VERSION must be the crate's (the builder refuses another); the base images can be
# swapped for a mirror's with --build-arg RUST_IMAGE=… / RUNTIME_IMAGE=….
ARG RUST_IMAGE=docker.io/library/rust:1.95-bookworm
ARG RUNTIME_IMAGE=docker.io/library/debian:bookworm-slim

FROM ${RUST_IMAGE} AS builder
ARG VERSION=0.2.0
WORKDIR /src
COPY . .
# The cache mounts keep cargo's downloads and target/ between builds on one machine.
RUN --mount=type=cache,id=starplan-cargo,target=/usr/local/cargo/registry \
    --mount=type=cache,id=starplan-target,target=/src/target \
    scripts/image-build /out && test "$(cat /out/VERSION)" = "$VERSION"

FROM ${RUNTIME_IMAGE}
ARG VERSION=0.2.0
LABEL org.opencontainers.image.title="starplan" \
      org.opencontainers.image.description="Plans how a telecom operator's account managers serve its group customers: a per-region MIP on HiGHS" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="MIT"
RUN groupadd --gid 10001 starplan \
    && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin starplan
COPY --from=builder /out/bin/starplan /usr/local/bin/starplan
USER 10001:10001
WORKDIR /data
ENTRYPOINT ["starplan"]
CMD ["--help"]
