# kpsite in a container: build a site mounted at /site.
#   docker build -t kpsite .
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/site" kpsite build
# (--user lets the container write public/ into a folder you own.)

# Stage 1: compile (rustls, no OpenSSL; gcc builds the bundled C grammars).
FROM rust:1-slim-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src ./src
COPY themes ./themes
COPY benches ./benches
RUN cargo build --release --locked --bin kpsite \
 && strip target/release/kpsite

# Stage 2: only the binary, on a small glibc base without a shell.
FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /src/target/release/kpsite /usr/local/bin/kpsite
WORKDIR /site
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/kpsite"]
CMD ["build", "/site"]
