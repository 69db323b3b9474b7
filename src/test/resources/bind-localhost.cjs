// Preloaded into the npm example servers under test (node -r): they listen on all interfaces; this makes every
// listen(port) listen on 127.0.0.1 only, so that tests never open a port to the network.
const net = require('net'), orig = net.Server.prototype.listen;
net.Server.prototype.listen = function (...a) {
  if ((typeof a[0] === 'number' || /^\d+$/.test(String(a[0]))) && typeof a[1] !== 'string') a.splice(1, 0, '127.0.0.1');
  return orig.apply(this, a);
};
