// btrun --metrics' endpoint: one GET per connection, answered in HTTP/1.0 and closed.
// A responder this small was measured against prometheus-cpp's civetweb server
// (docs/FLEET.md, "Metrics": btrun's size and start-up with each); it reads a request
// line, never a body, and every header line is skipped unread.
#include "bt/Runtime/Metrics.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <thread>

namespace bt::rt {

struct MetricsServer::Thread {
  std::thread t;
};

MetricsServer::~MetricsServer() {
  stop();
  for (int fd : {listenFd_, stopPipe_[0], stopPipe_[1]})
    if (fd >= 0)
      ::close(fd);
}

Result<std::unique_ptr<MetricsServer>> MetricsServer::listen(const std::string &hostPort) {
  auto bad = [&](const std::string &why) { return Error("--metrics " + hostPort + ": " + why); };
  size_t colon = hostPort.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == hostPort.size())
    return bad("expected HOST:PORT (a numeric address, [::1]:PORT for IPv6)");
  std::string host = hostPort.substr(0, colon), portText = hostPort.substr(colon + 1);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  // Numeric addresses only (inet_pton): no resolver, which a static btrun cannot carry.
  char *end = nullptr;
  errno = 0;
  unsigned long port = std::strtoul(portText.c_str(), &end, 10);
  if (!std::isdigit(static_cast<unsigned char>(portText[0])) || *end || errno || port > 65535)
    return bad("not a numeric address and port: bad port '" + portText + "'");
  sockaddr_storage addr{};
  socklen_t addrLen = 0;
  auto *v4 = reinterpret_cast<sockaddr_in *>(&addr);
  auto *v6 = reinterpret_cast<sockaddr_in6 *>(&addr);
  if (::inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(static_cast<uint16_t>(port));
    addrLen = sizeof *v4;
  } else if (::inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(static_cast<uint16_t>(port));
    addrLen = sizeof *v6;
  } else {
    return bad("not a numeric address and port: bad address '" + host + "'");
  }
  int fd = ::socket(addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return bad(std::string("socket: ") + std::strerror(errno));
  auto server = std::unique_ptr<MetricsServer>(new MetricsServer());
  server->listenFd_ = fd;
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (::bind(fd, reinterpret_cast<sockaddr *>(&addr), addrLen) != 0)
    return bad(std::string("cannot listen there: ") + std::strerror(errno));
  if (::listen(fd, 16) != 0)
    return bad(std::string("cannot listen there: ") + std::strerror(errno));
  sockaddr_storage bound{};
  socklen_t len = sizeof bound;
  ::getsockname(fd, reinterpret_cast<sockaddr *>(&bound), &len);
  server->port_ = ntohs(bound.ss_family == AF_INET6
                            ? reinterpret_cast<sockaddr_in6 *>(&bound)->sin6_port
                            : reinterpret_cast<sockaddr_in *>(&bound)->sin_port);
  if (::pipe2(server->stopPipe_, O_CLOEXEC) != 0)
    return bad(std::string("pipe: ") + std::strerror(errno));
  return server;
}

void MetricsServer::start(std::function<std::string()> render) {
  render_ = std::move(render);
  thread_ = std::make_unique<Thread>();
  thread_->t = std::thread([this] { serve(); });
}

void MetricsServer::stop() {
  if (!thread_)
    return;
  char c = 0;
  (void)!::write(stopPipe_[1], &c, 1);
  thread_->t.join();
  thread_.reset();
}

void MetricsServer::serve() {
  // The run's signals (SIGINT, SIGTERM, SIGCHLD) are the main thread's to take.
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, nullptr);
  while (true) {
    pollfd fds[2] = {{listenFd_, POLLIN, 0}, {stopPipe_[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR)
        continue;
      return;
    }
    if (fds[1].revents)
      return;
    int conn = ::accept4(listenFd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (conn < 0)
      continue;
    answer(conn);
    ::close(conn);
  }
}

void MetricsServer::answer(int fd) {
  timeval tv{2, 0}; // a client that sends nothing does not hold the endpoint
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  // Everything up to the blank line that ends the headers; only the request line matters.
  std::string request;
  char buf[1024];
  while (request.find("\r\n\r\n") == std::string::npos &&
         request.find("\n\n") == std::string::npos && request.size() < 16384) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0)
      return;
    request.append(buf, size_t(n));
  }
  std::string line = request.substr(0, request.find_first_of("\r\n"));
  std::string status = "200 OK", body;
  if (line.rfind("GET /metrics ", 0) == 0 || line.rfind("GET /metrics?", 0) == 0 ||
      line == "GET /metrics")
    body = render_();
  else if (line.rfind("GET ", 0) == 0)
    status = "404 Not Found", body = "btrun serves /metrics\n";
  else
    status = "405 Method Not Allowed", body = "btrun serves GET /metrics\n";
  std::string head = "HTTP/1.0 " + status +
                     "\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
                     "Content-Length: " +
                     std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
  std::string all = head + body;
  for (size_t off = 0; off < all.size();) {
    ssize_t n = ::send(fd, all.data() + off, all.size() - off, MSG_NOSIGNAL);
    if (n <= 0)
      return;
    off += size_t(n);
  }
}

} // namespace bt::rt
