// Protocol-2 pickle of an OrderedDict of tensors, mirroring CPython's pickler as torch.save drives
// it: the same opcodes, the same memo numbering (every new object is BINPUT, repeats are BINGET),
// SETITEMS in batches of 1000. Python's torch.load therefore reads it exactly like its own files.
#include "io/pickle_writer.h"

#include <cstdint>
#include <map>

namespace s4scope::detail {
namespace {

class Pickler {
public:
    std::string out;

    void op(char c) { out += c; }
    void u8(uint8_t v) { out += char(v); }
    void le(uint64_t v, int bytes) {
        for (int k = 0; k < bytes; ++k) out += char((v >> (8 * k)) & 0xff);
    }

    // Memoizes the object just written (BINPUT / LONG_BINPUT, as CPython's memoize()).
    uint32_t put() {
        const uint32_t index = next_++;
        if (index < 256) {
            op('q');
            u8(uint8_t(index));
        } else {
            op('r');
            le(index, 4);
        }
        return index;
    }
    void get(uint32_t index) {
        if (index < 256) {
            op('h');
            u8(uint8_t(index));
        } else {
            op('j');
            le(index, 4);
        }
    }

    // An object CPython would find in its memo the second time (the same Python object reused):
    // written and memoized once, fetched afterwards.
    void shared(const std::string& id, void (Pickler::*write)(const std::string&), const std::string& arg) {
        auto it = shared_.find(id);
        if (it != shared_.end()) return get(it->second);
        (this->*write)(arg);
        shared_[id] = put();
    }

    void global(const std::string& moduleAndName) {  // "module\nname"
        op('c');
        out += moduleAndName;
        out += '\n';
    }
    void rawString(const std::string& s) {
        op('X');
        le(s.size(), 4);
        out += s;
    }
    void string(const std::string& s) {  // a fresh str object: written and memoized
        rawString(s);
        put();
    }

    void integer(int64_t v) {  // CPython save_long, protocol >= 2
        if (v >= 0 && v <= 0xff) {
            op('K');
            u8(uint8_t(v));
        } else if (v >= 0 && v <= 0xffff) {
            op('M');
            le(uint64_t(v), 2);
        } else if (v >= -0x80000000LL && v <= 0x7fffffffLL) {
            op('J');
            le(uint64_t(v), 4);
        } else {  // LONG1: minimal little-endian two's complement
            std::string bytes;
            uint64_t u = uint64_t(v);
            for (int k = 0; k < 8; ++k) bytes += char((u >> (8 * k)) & 0xff);
            while (bytes.size() > 1) {
                const uint8_t last = uint8_t(bytes.back()), prev = uint8_t(bytes[bytes.size() - 2]);
                if ((last == 0x00 && !(prev & 0x80)) || (last == 0xff && (prev & 0x80))) bytes.pop_back();
                else break;
            }
            op(char(0x8a));
            u8(uint8_t(bytes.size()));
            out += bytes;
        }
    }

    // CPython save_tuple: () is EMPTY_TUPLE (not memoized), 1-3 items TUPLE1-3, else MARK..TUPLE.
    void intTuple(const std::vector<int64_t>& items) {
        if (items.empty()) return op(')');
        if (items.size() > 3) op('(');
        for (int64_t v : items) integer(v);
        op(items.size() > 3 ? 't' : char(0x84 + items.size()));
        put();
    }

    void emptyOrderedDict() {  // OrderedDict() -> GLOBAL/BINGET, EMPTY_TUPLE, REDUCE, BINPUT
        shared("OrderedDict", &Pickler::global, "collections\nOrderedDict");
        op(')');
        op('R');
        put();
    }

private:
    uint32_t next_ = 0;
    std::map<std::string, uint32_t> shared_;
};

std::vector<int64_t> contiguousStrides(const std::vector<int64_t>& shape) {
    std::vector<int64_t> stride(shape.size());
    int64_t s = 1;
    for (size_t d = shape.size(); d-- > 0;) {
        stride[d] = s;
        s *= shape[d] > 1 ? shape[d] : 1;  // as torch: max(size, 1)
    }
    return stride;
}

}  // namespace

std::string writeStateDictPickle(const NamedTensors& tensors) {
    Pickler p;
    p.op(char(0x80));  // PROTO 2
    p.u8(2);
    p.emptyOrderedDict();

    const size_t batch = 1000;  // CPython's _BATCHSIZE for SETITEMS
    for (size_t start = 0; start < tensors.size(); start += batch) {
        const size_t n = std::min(batch, tensors.size() - start);
        if (n > 1) p.op('(');
        for (size_t i = start; i < start + n; ++i) {
            const auto& [name, tensor] = tensors[i];
            p.string(name);
            p.shared("_rebuild_tensor_v2", &Pickler::global, "torch._utils\n_rebuild_tensor_v2");
            p.op('(');  // args of _rebuild_tensor_v2
            p.op('(');  // persistent id ('storage', torch.FloatStorage, key, 'cpu', numel)
            p.shared("'storage'", &Pickler::rawString, "storage");
            p.shared("FloatStorage", &Pickler::global, "torch\nFloatStorage");
            p.string(std::to_string(i));
            p.shared("'cpu'", &Pickler::rawString, "cpu");
            p.integer(int64_t(tensor.values.size()));
            p.op('t');
            p.put();
            p.op('Q');       // BINPERSID
            p.integer(0);    // storage offset
            p.intTuple(tensor.shape);
            p.intTuple(contiguousStrides(tensor.shape));
            p.op(char(0x89));  // requires_grad = False
            p.emptyOrderedDict();  // backward hooks
            p.op('t');
            p.put();
            p.op('R');
            p.put();
        }
        p.op(n > 1 ? 'u' : 's');
    }
    p.op('.');
    return p.out;
}

}  // namespace s4scope::detail
