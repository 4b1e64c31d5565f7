// A whitelisting pickle interpreter for torch.save state dicts (see pickle_reader.h).
//
// Safety model: the interpreter only ever builds inert values (numbers, strings, tuples, lists,
// dicts, storages, tensors). A global is looked up in a fixed table the moment GLOBAL /
// STACK_GLOBAL / INST names it; anything not in the table ends the load with an Error naming it.
// Every length, index and size read from the file is checked against what is left of the input,
// the memo / stack limits and the storage it points into before it is used.
#include "io/pickle_reader.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "s4scope/error.h"

namespace s4scope::detail {
namespace {

// ---------------------------------------------------------------------------------------------
// Values

// Opaque: an instance of an inert class a training checkpoint carries beside its state dict
// (argparse.Namespace, a path, a numpy scalar): kept as a placeholder, never constructed.
enum class Kind { None, Bool, Int, Float, Str, Bytes, Tuple, List, Dict, Global, Storage, Tensor, Opaque };

const char* kindName(Kind k) {
    static const char* names[] = {"None", "bool",   "int",    "float",   "str",    "bytes",
                                  "tuple", "list", "dict", "global", "storage", "tensor", "opaque object"};
    return names[int(k)];
}

// What an allowed global is for.
// DictSubclass: a dict subclass with no behaviour a state needs (Lightning's AttributeDict), read
// as a plain dict. InertObject: a class whose instances are skipped (see Kind::Opaque).
enum class Role { OrderedDict, RebuildTensorV2, RebuildParameter, StorageType, DTypeName, DictSubclass, InertObject };

struct Value;
struct TensorView;
using ValuePtr = std::shared_ptr<Value>;

struct Value {
    Kind kind = Kind::None;
    int64_t i = 0;                 // Bool, Int; Storage: element count
    double f = 0;                  // Float
    std::string s;                 // Str, Bytes; Global: "module.name"; Storage: record key
    Role role = Role::OrderedDict; // Global
    DType dtype = DType::Float32;  // Global (storage type / dtype), Storage
    std::vector<ValuePtr> items;   // Tuple, List
    std::vector<std::pair<ValuePtr, ValuePtr>> entries;  // Dict, in insertion order
    std::unordered_map<std::string, size_t> index;       // Dict: hash key -> entry
    std::shared_ptr<const TensorView> tensor;     // Tensor
};

// A tensor as the pickle declares it: a view into a storage. Nothing is read or allocated until
// the whole pickle has run and the caller has checked every name and shape.
struct TensorView {
    std::string storageKey;
    DType dtype = DType::Float32;
    int64_t storageElements = 0;
    int64_t offset = 0;
    int64_t numel = 0;
    std::vector<int64_t> shape, stride;
};

// ---------------------------------------------------------------------------------------------
// The whitelist

struct Allowed {
    Role role;
    DType dtype;
};

// Classes a PyTorch Lightning .ckpt names beside its state dict, in its hyper-parameters and
// callback states. Allowed by exact name so such a checkpoint loads; their instances are never
// built: the interpreter makes a plain dict or an opaque placeholder and ignores their state.
// Everything not listed here or above is still refused.
std::optional<Role> inertTrainingClass(const std::string& module, const std::string& name) {
    static const std::pair<const char*, const char*> dictSubclasses[] = {
        {"pytorch_lightning.utilities.parsing", "AttributeDict"},
        {"lightning.pytorch.utilities.parsing", "AttributeDict"},
        {"lightning_fabric.utilities.data", "AttributeDict"},
        {"lightning.fabric.utilities.data", "AttributeDict"}};
    static const std::pair<const char*, const char*> objects[] = {
        {"argparse", "Namespace"},           {"pathlib", "PosixPath"},
        {"pathlib", "WindowsPath"},          {"pathlib", "PurePosixPath"},
        {"pathlib", "PureWindowsPath"},      {"numpy.core.multiarray", "scalar"},
        {"numpy", "dtype"},                  {"numpy.core.multiarray", "_reconstruct"},
        {"numpy", "ndarray"},                {"torch", "device"},
        // How protocol 2 spells a bytes value (a numpy scalar's data): its result is skipped too.
        {"_codecs", "encode"}};
    for (const auto& [m, n] : dictSubclasses)
        if (module == m && name == n) return Role::DictSubclass;
    for (const auto& [m, n] : objects)
        if (module == m && name == n) return Role::InertObject;
    return std::nullopt;
}

std::optional<Allowed> lookupGlobal(const std::string& module, const std::string& name) {
    if (const auto inert = inertTrainingClass(module, name)) return Allowed{*inert, DType::Float32};
    if (module == "collections" && name == "OrderedDict") return Allowed{Role::OrderedDict, DType::Float32};
    if (module == "torch._utils" && name == "_rebuild_tensor_v2") return Allowed{Role::RebuildTensorV2, DType::Float32};
    if (module == "torch._utils" && name == "_rebuild_parameter") return Allowed{Role::RebuildParameter, DType::Float32};
    if (module != "torch") return std::nullopt;
    static const std::pair<const char*, DType> storages[] = {
        {"FloatStorage", DType::Float32}, {"DoubleStorage", DType::Float64}, {"HalfStorage", DType::Float16},
        {"BFloat16Storage", DType::BFloat16}, {"LongStorage", DType::Int64}, {"IntStorage", DType::Int32},
        {"ShortStorage", DType::Int16}, {"CharStorage", DType::Int8}, {"ByteStorage", DType::UInt8},
        {"BoolStorage", DType::Bool}};
    for (const auto& [n, t] : storages)
        if (name == n) return Allowed{Role::StorageType, t};
    static const std::pair<const char*, DType> dtypes[] = {
        {"float32", DType::Float32}, {"float", DType::Float32}, {"float64", DType::Float64},
        {"double", DType::Float64}, {"float16", DType::Float16}, {"half", DType::Float16},
        {"bfloat16", DType::BFloat16}, {"int64", DType::Int64}, {"long", DType::Int64},
        {"int32", DType::Int32}, {"int", DType::Int32}, {"int16", DType::Int16},
        {"short", DType::Int16}, {"int8", DType::Int8}, {"uint8", DType::UInt8}, {"bool", DType::Bool}};
    for (const auto& [n, t] : dtypes)
        if (name == n) return Allowed{Role::DTypeName, t};
    return std::nullopt;
}

const char* opcodeName(uint8_t op) {
    switch (op) {
        case '(': return "MARK"; case '.': return "STOP"; case '0': return "POP"; case '1': return "POP_MARK";
        case '2': return "DUP"; case 'F': return "FLOAT"; case 'I': return "INT"; case 'J': return "BININT";
        case 'K': return "BININT1"; case 'L': return "LONG"; case 'M': return "BININT2"; case 'N': return "NONE";
        case 'P': return "PERSID"; case 'Q': return "BINPERSID"; case 'R': return "REDUCE"; case 'S': return "STRING";
        case 'T': return "BINSTRING"; case 'U': return "SHORT_BINSTRING"; case 'V': return "UNICODE";
        case 'X': return "BINUNICODE"; case 'a': return "APPEND"; case 'b': return "BUILD"; case 'c': return "GLOBAL";
        case 'd': return "DICT"; case '}': return "EMPTY_DICT"; case 'e': return "APPENDS"; case 'g': return "GET";
        case 'h': return "BINGET"; case 'i': return "INST"; case 'j': return "LONG_BINGET"; case 'l': return "LIST";
        case ']': return "EMPTY_LIST"; case 'o': return "OBJ"; case 'p': return "PUT"; case 'q': return "BINPUT";
        case 'r': return "LONG_BINPUT"; case 's': return "SETITEM"; case 't': return "TUPLE"; case ')': return "EMPTY_TUPLE";
        case 'u': return "SETITEMS"; case 'G': return "BINFLOAT"; case 'B': return "BINBYTES"; case 'C': return "SHORT_BINBYTES";
        case 0x80: return "PROTO"; case 0x81: return "NEWOBJ"; case 0x82: return "EXT1"; case 0x83: return "EXT2";
        case 0x84: return "EXT4"; case 0x85: return "TUPLE1"; case 0x86: return "TUPLE2"; case 0x87: return "TUPLE3";
        case 0x88: return "NEWTRUE"; case 0x89: return "NEWFALSE"; case 0x8a: return "LONG1"; case 0x8b: return "LONG4";
        case 0x8c: return "SHORT_BINUNICODE"; case 0x8d: return "BINUNICODE8"; case 0x8e: return "BINBYTES8";
        case 0x8f: return "EMPTY_SET"; case 0x90: return "ADDITEMS"; case 0x91: return "FROZENSET";
        case 0x92: return "NEWOBJ_EX"; case 0x93: return "STACK_GLOBAL"; case 0x94: return "MEMOIZE";
        case 0x95: return "FRAME"; case 0x96: return "BYTEARRAY8"; case 0x97: return "NEXT_BUFFER";
        case 0x98: return "READONLY_BUFFER";
        default: return nullptr;
    }
}

// "an int", "a tuple", "None": for messages.
std::string aKind(Kind k) {
    if (k == Kind::None) return "None";
    const std::string name = kindName(k);
    return (k == Kind::Int ? "an " : "a ") + name;
}

std::string hexByte(uint8_t b) {
    static const char* digits = "0123456789abcdef";
    return std::string("0x") + digits[b >> 4] + digits[b & 15];
}

// ---------------------------------------------------------------------------------------------
// The interpreter

class Interpreter {
public:
    Interpreter(const uint8_t* data, size_t size, const StorageLoader& load, const std::string& source,
                const PickleLimits& limits, const TensorIndexCheck& checkIndex, const StorageSizer& storageSize)
        : p_(data), size_(size), load_(load), source_(source), limits_(limits), checkIndex_(checkIndex),
          storageSize_(storageSize) {}

    // Values may reference each other in cycles (through the memo) or nest arbitrarily deep; drop
    // every link first so no destructor recurses or leaks.
    ~Interpreter() {
        for (const ValuePtr& v : arena_) {
            v->items.clear();
            v->entries.clear();
        }
    }

    ValuePtr run();
    NamedTensors toStateDict(const ValuePtr& root);

private:
    [[noreturn]] void fail(const std::string& why) const {
        const std::string at = opStart_ == kNoOffset ? "" : " (data.pkl offset " + std::to_string(opStart_) + ")";
        throw Error("Checkpoint '" + source_ + "': " + why + at);
    }

    // --- input
    size_t remaining() const { return size_ - pos_; }
    const uint8_t* take(uint64_t n) {
        if (n > remaining())
            fail("pickle is truncated: needs " + std::to_string(n) + " bytes, " + std::to_string(remaining()) + " left");
        const uint8_t* at = p_ + pos_;
        pos_ += size_t(n);
        return at;
    }
    template <typename T>
    T readLE() { return loadLE<T>(take(sizeof(T))); }
    std::string readBytes(uint64_t n) {
        const uint8_t* at = take(n);
        return std::string(reinterpret_cast<const char*>(at), size_t(n));
    }
    std::string readLine() {
        const void* nl = std::memchr(p_ + pos_, '\n', remaining());
        if (!nl) fail("pickle is truncated inside a text argument");
        const size_t n = size_t(static_cast<const uint8_t*>(nl) - (p_ + pos_));
        std::string line = readBytes(n);
        ++pos_;
        return line;
    }

    // --- values and stack
    ValuePtr make(Kind k) {
        if (arena_.size() >= limits_.maxValues)
            fail("pickle creates more than " + std::to_string(limits_.maxValues) + " objects, too many for a state dict");
        auto v = std::make_shared<Value>();
        v->kind = k;
        arena_.push_back(v);
        return v;
    }
    ValuePtr makeInt(int64_t i, Kind k = Kind::Int) { auto v = make(k); v->i = i; return v; }
    ValuePtr makeStr(std::string s, Kind k = Kind::Str) { auto v = make(k); v->s = std::move(s); return v; }

    void push(ValuePtr v) {
        if (stack_.size() >= limits_.maxStack) fail("pickle stack exceeds " + std::to_string(limits_.maxStack) + " entries");
        stack_.push_back(std::move(v));
    }
    ValuePtr pop() {
        if (stack_.size() <= floor()) fail("pickle stack underflow");
        ValuePtr v = std::move(stack_.back());
        stack_.pop_back();
        return v;
    }
    ValuePtr& top() {
        if (stack_.size() <= floor()) fail("pickle stack underflow");
        return stack_.back();
    }
    size_t floor() const { return marks_.empty() ? 0 : marks_.back(); }
    std::vector<ValuePtr> popToMark() {
        if (marks_.empty()) fail("pickle uses a MARK that was never set");
        const size_t m = marks_.back();
        marks_.pop_back();
        std::vector<ValuePtr> out(std::make_move_iterator(stack_.begin() + long(m)), std::make_move_iterator(stack_.end()));
        stack_.resize(m);
        return out;
    }

    // --- memo
    void memoPut(uint64_t index) {
        ValuePtr& value = top();
        if (!memo_.count(index) && memo_.size() >= limits_.maxMemo)
            fail("pickle memo exceeds " + std::to_string(limits_.maxMemo) + " entries");
        memo_[index] = value;
    }
    void memoGet(uint64_t index) {
        auto it = memo_.find(index);
        if (it == memo_.end()) fail("pickle refers to memo entry " + std::to_string(index) + ", which was never stored");
        push(it->second);
    }

    // --- semantics
    void pushGlobal(const std::string& module, const std::string& name, const char* opcode);
    void reduce();
    void build();
    void setItem(Value& dict, const ValuePtr& key, const ValuePtr& value);
    std::string hashKey(const Value& key, int depth);
    ValuePtr persistentLoad(const ValuePtr& pid);
    ValuePtr rebuildTensor(const std::vector<ValuePtr>& args);
    void materialise(const std::vector<std::pair<std::string, const TensorView*>>& views, NamedTensors& out);
    void checkStorageSize(const TensorView& view, uint64_t recordBytes) {
        if (recordBytes / dtypeSize(view.dtype) < uint64_t(view.storageElements))
            fail("storage 'data/" + view.storageKey + "' holds " + std::to_string(recordBytes) + " bytes, but the pickle declares " +
                 std::to_string(view.storageElements) + " " + dtypeName(view.dtype) + " elements");
    }
    std::vector<int64_t> intTuple(const ValuePtr& v, const char* what);
    void step(uint8_t op);

    const uint8_t* p_;
    size_t size_;
    size_t pos_ = 0;
    static constexpr size_t kNoOffset = size_t(-1);
    size_t opStart_ = 0;  // offset of the opcode being run, for error messages
    const StorageLoader& load_;
    const std::string& source_;
    PickleLimits limits_;
    const TensorIndexCheck& checkIndex_;
    const StorageSizer& storageSize_;
    bool stopped_ = false;

    std::vector<ValuePtr> stack_;
    std::vector<size_t> marks_;
    std::unordered_map<uint64_t, ValuePtr> memo_;
    std::vector<ValuePtr> arena_;
    // Storage key -> the first declaration seen (dtype, elements): later ones must agree.
    std::unordered_map<std::string, std::pair<DType, int64_t>> storages_;
};

// Protocol 0-2 pickles spell some modules the Python 2 way; Python 3's unpickler maps them back
// (pickle's fix_imports). Used only to make refusals readable: "commands.Popen" is subprocess.Popen.
const char* python3Module(const std::string& module) {
    static const std::pair<const char*, const char*> table[] = {
        {"__builtin__", "builtins"}, {"exceptions", "builtins"}, {"commands", "subprocess"},
        {"copy_reg", "copyreg"}, {"cPickle", "pickle"}, {"UserDict", "collections"}};
    for (const auto& [py2, py3] : table)
        if (module == py2) return py3;
    return nullptr;
}

void Interpreter::pushGlobal(const std::string& module, const std::string& name, const char* opcode) {
    const std::string full = module + "." + name;
    const auto allowed = lookupGlobal(module, name);
    if (!allowed) {
        const char* py3 = python3Module(module);
        const std::string alias = py3 ? ", which Python 3 reads as '" + std::string(py3) + "." + name + "'" : "";
        fail("s4scope refuses global '" + full + "'" + alias + " (named by " + opcode +
             "): a checkpoint may only use the types of a state dict, and this one asks for something "
             "that could run code");
    }
    auto v = makeStr(full, Kind::Global);
    v->role = allowed->role;
    v->dtype = allowed->dtype;
    push(std::move(v));
}

std::string Interpreter::hashKey(const Value& key, int depth) {
    switch (key.kind) {
        case Kind::Str: return "s" + key.s;
        case Kind::Bytes: return "b" + key.s;
        case Kind::Int: case Kind::Bool: return "i" + std::to_string(key.i);  // True == 1 in Python
        case Kind::None: return "n";
        case Kind::Float: {  // 1.0 and 1 are the same key in Python
            if (std::fabs(key.f) < 9e18 && key.f == std::trunc(key.f)) return "i" + std::to_string(int64_t(key.f));
            char buf[32];
            std::snprintf(buf, sizeof buf, "%.17g", key.f);
            return std::string("f") + buf;
        }
        case Kind::Tuple: {
            if (depth > 8) fail("dict key nests too deeply");
            std::string h = "t" + std::to_string(key.items.size());
            for (const ValuePtr& item : key.items) h += "(" + hashKey(*item, depth + 1) + ")";
            return h;
        }
        default: fail("pickle uses " + aKind(key.kind) + " as a dict key");
    }
}

void Interpreter::setItem(Value& dict, const ValuePtr& key, const ValuePtr& value) {
    std::string h = hashKey(*key, 0);
    auto it = dict.index.find(h);
    if (it != dict.index.end()) {
        dict.entries[it->second].second = value;  // Python keeps the first position
        return;
    }
    dict.index.emplace(std::move(h), dict.entries.size());
    dict.entries.emplace_back(key, value);
}

std::vector<int64_t> Interpreter::intTuple(const ValuePtr& v, const char* what) {
    if (v->kind != Kind::Tuple && v->kind != Kind::List) fail(std::string("tensor ") + what + " must be a tuple of ints");
    std::vector<int64_t> out;
    for (const ValuePtr& item : v->items) {
        if (item->kind != Kind::Int) fail(std::string("tensor ") + what + " holds " + aKind(item->kind));
        out.push_back(item->i);
    }
    return out;
}

// persistent_id of torch.save: ('storage', <storage type>, key, location, numel).
ValuePtr Interpreter::persistentLoad(const ValuePtr& pid) {
    if (pid->kind != Kind::Tuple || pid->items.size() != 5 || pid->items[0]->kind != Kind::Str ||
        pid->items[0]->s != "storage")
        fail("pickle has a persistent id that is not a torch storage reference");
    const Value& type = *pid->items[1];
    const Value& key = *pid->items[2];
    const Value& numel = *pid->items[4];
    if (type.kind != Kind::Global || type.role != Role::StorageType)
        fail("storage reference names " + aKind(type.kind) + " '" + type.s + "', not a storage type");
    if (key.kind != Kind::Str) fail("storage key must be a str");
    if (numel.kind != Kind::Int || numel.i < 0) fail("storage '" + key.s + "' has an invalid element count");
    auto v = makeStr(key.s, Kind::Storage);
    v->dtype = type.dtype;
    v->i = numel.i;
    return v;
}

// _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata]):
// checked against its storage's declared size here; the data is read later (materialise).
ValuePtr Interpreter::rebuildTensor(const std::vector<ValuePtr>& args) {
    if (args.size() != 6 && args.size() != 7)
        fail("_rebuild_tensor_v2 expects 6 or 7 arguments, got " + std::to_string(args.size()));
    const Value& storage = *args[0];
    if (storage.kind != Kind::Storage) fail("_rebuild_tensor_v2 needs a storage, got " + aKind(storage.kind));
    if (args[1]->kind != Kind::Int || args[1]->i < 0) fail("tensor storage offset must be a non-negative int");
    const int64_t offset = args[1]->i;
    const std::vector<int64_t> shape = intTuple(args[2], "size");
    const std::vector<int64_t> stride = intTuple(args[3], "stride");
    const std::string where = " (storage '" + storage.s + "')";
    if (shape.size() != stride.size()) fail("tensor size and stride differ in length" + where);
    if (shape.size() > limits_.maxRank) fail("tensor has more than " + std::to_string(limits_.maxRank) + " dimensions" + where);

    // One storage key, one declaration: the same record read as two dtypes or sizes is corrupt.
    const auto declared = storages_.emplace(storage.s, std::make_pair(storage.dtype, storage.i)).first->second;
    if (declared.first != storage.dtype)
        fail("storage '" + storage.s + "' is used both as " + dtypeName(declared.first) + " and " + dtypeName(storage.dtype));
    if (declared.second != storage.i) fail("storage '" + storage.s + "' is declared with different sizes");

    // Element count and the furthest element addressed, both overflow-checked.
    int64_t numel = 1;
    int64_t last = offset;
    for (size_t d = 0; d < shape.size(); ++d) {
        if (shape[d] < 0) fail("tensor has a negative size " + std::to_string(shape[d]) + where);
        if (stride[d] < 0) fail("tensor has a negative stride " + std::to_string(stride[d]) + where);
        if (__builtin_mul_overflow(numel, shape[d], &numel)) fail("tensor size overflows" + where);
    }
    if (numel > 0) {
        for (size_t d = 0; d < shape.size(); ++d) {
            int64_t reach;
            if (__builtin_mul_overflow(shape[d] - 1, stride[d], &reach) || __builtin_add_overflow(last, reach, &last))
                fail("tensor strides overflow" + where);
        }
        if (last >= storage.i)
            fail("tensor of size " + shapeToString(shape) + ", stride " + shapeToString(stride) + " and offset " +
                 std::to_string(offset) + " reaches element " + std::to_string(last) + " of a storage of " +
                 std::to_string(storage.i) + where);
    }
    auto view = std::make_shared<TensorView>();
    view->storageKey = storage.s;
    view->dtype = storage.dtype;
    view->storageElements = storage.i;
    view->offset = offset;
    view->numel = numel;
    view->shape = shape;
    view->stride = stride;
    auto v = make(Kind::Tensor);
    v->tensor = std::move(view);
    return v;
}

// Reads each storage record once (its size checked against the declaration before it is read),
// converts the views that use it straight from the record's bytes, and lets the record go before
// the next one: peak memory is the output plus one record.
void Interpreter::materialise(const std::vector<std::pair<std::string, const TensorView*>>& views, NamedTensors& out) {
    std::unordered_map<std::string, std::vector<size_t>> byStorage;
    std::vector<std::string> order;
    for (size_t k = 0; k < views.size(); ++k) {
        auto& users = byStorage[views[k].second->storageKey];
        if (users.empty()) order.push_back(views[k].second->storageKey);
        users.push_back(k);
    }
    out.resize(views.size());
    for (size_t k = 0; k < views.size(); ++k) {
        out[k].first = views[k].first;
        out[k].second.shape = views[k].second->shape;
    }
    for (const std::string& key : order) {
        const std::vector<size_t>& users = byStorage[key];
        const TensorView& first = *views[users.front()].second;
        bool any = false;
        for (size_t k : users) any = any || views[k].second->numel > 0;
        if (!any) continue;
        const size_t width = dtypeSize(first.dtype);
        const uint64_t declaredBytes = uint64_t(first.storageElements) * width;
        const RecordBytes bytes = load_(key, declaredBytes);
        checkStorageSize(first, bytes.size);
        for (size_t k : users) {
            const TensorView& v = *views[k].second;
            std::vector<float>& values = out[k].second.values;
            values.resize(size_t(v.numel));
            if (v.numel == 0) continue;
            // Contiguous (C order, ignoring size-1 dimensions): one conversion. Otherwise walk the strides.
            bool contiguous = true;
            int64_t expect = 1;
            for (size_t d = v.shape.size(); d-- > 0;) {
                if (v.shape[d] != 1 && v.stride[d] != expect) contiguous = false;
                expect *= v.shape[d];
            }
            if (contiguous) {
                convertToFloat(v.dtype, bytes.data + size_t(v.offset) * width, size_t(v.numel), values.data());
                continue;
            }
            const size_t rank = v.shape.size();
            std::vector<int64_t> idx(rank, 0);
            int64_t at = v.offset;
            for (int64_t n = 0; n < v.numel; ++n) {
                convertToFloat(v.dtype, bytes.data + size_t(at) * width, 1, values.data() + n);
                for (size_t d = rank; d-- > 0;) {
                    if (++idx[d] < v.shape[d]) {
                        at += v.stride[d];
                        break;
                    }
                    at -= v.stride[d] * (v.shape[d] - 1);
                    idx[d] = 0;
                }
            }
        }
    }
}

void Interpreter::reduce() {
    ValuePtr args = pop();
    ValuePtr callable = pop();
    if (callable->kind != Kind::Global) fail("REDUCE calls " + aKind(callable->kind) + ", not an allowed global");
    if (args->kind != Kind::Tuple) fail("REDUCE arguments of '" + callable->s + "' are not a tuple");
    const std::vector<ValuePtr>& a = args->items;
    switch (callable->role) {
        case Role::OrderedDict: {
            auto dict = make(Kind::Dict);
            if (a.size() > 1) fail("OrderedDict takes at most one argument");
            if (a.size() == 1) {  // OrderedDict([(k, v), ...]) or OrderedDict({...})
                if (a[0]->kind == Kind::Dict) {
                    for (const auto& [k, v] : a[0]->entries) setItem(*dict, k, v);
                } else if (a[0]->kind == Kind::List || a[0]->kind == Kind::Tuple) {
                    for (const ValuePtr& pair : a[0]->items) {
                        if ((pair->kind != Kind::Tuple && pair->kind != Kind::List) || pair->items.size() != 2)
                            fail("OrderedDict items must be (key, value) pairs");
                        setItem(*dict, pair->items[0], pair->items[1]);
                    }
                } else {
                    fail("OrderedDict cannot be built from " + aKind(a[0]->kind));
                }
            }
            push(dict);
            return;
        }
        case Role::RebuildTensorV2:
            push(rebuildTensor(a));
            return;
        case Role::RebuildParameter:  // _rebuild_parameter(data, requires_grad, backward_hooks)
            if (a.size() != 3 || a[0]->kind != Kind::Tensor) fail("_rebuild_parameter expects (tensor, bool, hooks)");
            push(a[0]);
            return;
        case Role::InertObject:  // e.g. PosixPath('runs/1'), numpy's scalar(dtype, bytes): not called
            push(make(Kind::Opaque));
            return;
        default:
            fail("'" + callable->s + "' may appear in a checkpoint but cannot be called");
    }
}

// BUILD sets an object's state. A state dict carries `_metadata` this way (module versions), which
// the engine does not need: accepted and ignored for dicts and tensors, refused otherwise.
void Interpreter::build() {
    pop();
    const Kind k = top()->kind;
    if (k != Kind::Dict && k != Kind::Tensor && k != Kind::Opaque) fail("BUILD on " + aKind(k) + " is not supported");
}

void Interpreter::step(uint8_t op) {
    switch (op) {
        case 0x80: {  // PROTO
            const uint8_t proto = readLE<uint8_t>();
            if (proto > 5) fail("unsupported pickle protocol " + std::to_string(proto));
            return;
        }
        case 0x95: {  // FRAME: framing is only a read-ahead hint, but its length must be real
            if (readLE<uint64_t>() > remaining()) fail("pickle frame is longer than the data");
            return;
        }
        case '.': stopped_ = true; return;  // STOP

        // Globals: checked against the whitelist before anything else is done with them.
        case 'c': {  // GLOBAL
            const std::string module = readLine();
            const std::string name = readLine();
            pushGlobal(module, name, "GLOBAL");
            return;
        }
        case 0x93: {  // STACK_GLOBAL
            ValuePtr name = pop();
            ValuePtr module = pop();
            if (module->kind != Kind::Str || name->kind != Kind::Str) fail("STACK_GLOBAL needs two strings");
            pushGlobal(module->s, name->s, "STACK_GLOBAL");
            return;
        }
        case 'i': {  // INST module\nname\n: a protocol-0 class instantiation, never in a state dict
            const std::string module = readLine();
            const std::string name = readLine();
            if (!lookupGlobal(module, name)) pushGlobal(module, name, "INST");  // throws naming it
            fail("pickle opcode INST ('" + module + "." + name + "') is not supported");
        }
        case 'o': {  // OBJ: the class came from GLOBAL, so it is an allowed one; still never used
            std::vector<ValuePtr> items = popToMark();
            const std::string what = items.empty() ? "nothing" : "'" + items[0]->s + "'";
            fail("pickle opcode OBJ (instantiating " + what + ") is not supported");
        }
        case 0x82: fail("s4scope refuses global from the copyreg extension registry (EXT1 code " + std::to_string(readLE<uint8_t>()) + ")");
        case 0x83: fail("s4scope refuses global from the copyreg extension registry (EXT2 code " + std::to_string(readLE<uint16_t>()) + ")");
        case 0x84: fail("s4scope refuses global from the copyreg extension registry (EXT4 code " + std::to_string(readLE<int32_t>()) + ")");

        // Memo.
        case 'q': memoPut(readLE<uint8_t>()); return;    // BINPUT
        case 'r': memoPut(readLE<uint32_t>()); return;   // LONG_BINPUT
        case 0x94: memoPut(memo_.size()); return;        // MEMOIZE
        case 'h': memoGet(readLE<uint8_t>()); return;    // BINGET
        case 'j': memoGet(readLE<uint32_t>()); return;   // LONG_BINGET

        // Stack structure.
        case '(':  // MARK
            if (marks_.size() >= limits_.maxMarks) fail("pickle nests more than " + std::to_string(limits_.maxMarks) + " MARKs");
            marks_.push_back(stack_.size());
            return;
        case '0': pop(); return;          // POP
        case '1': popToMark(); return;    // POP_MARK
        case '2': push(top()); return;    // DUP

        // Containers.
        case '}': push(make(Kind::Dict)); return;   // EMPTY_DICT
        case ']': push(make(Kind::List)); return;   // EMPTY_LIST
        case ')': push(make(Kind::Tuple)); return;  // EMPTY_TUPLE
        case 't': {  // TUPLE
            auto t = make(Kind::Tuple);
            t->items = popToMark();
            push(t);
            return;
        }
        case 0x85: case 0x86: case 0x87: {  // TUPLE1..3
            auto t = make(Kind::Tuple);
            t->items.resize(size_t(op - 0x84));
            for (size_t k = t->items.size(); k-- > 0;) t->items[k] = pop();
            push(t);
            return;
        }
        case 's': {  // SETITEM
            ValuePtr value = pop();
            ValuePtr key = pop();
            if (top()->kind != Kind::Dict) fail("SETITEM on " + aKind(top()->kind));
            setItem(*top(), key, value);
            return;
        }
        case 'u': {  // SETITEMS
            std::vector<ValuePtr> items = popToMark();
            if (items.size() % 2) fail("SETITEMS with an odd number of items");
            if (top()->kind != Kind::Dict) fail("SETITEMS on " + aKind(top()->kind));
            for (size_t k = 0; k < items.size(); k += 2) setItem(*top(), items[k], items[k + 1]);
            return;
        }
        case 'a': {  // APPEND
            ValuePtr value = pop();
            if (top()->kind != Kind::List) fail("APPEND on " + aKind(top()->kind));
            top()->items.push_back(std::move(value));
            return;
        }
        case 'e': {  // APPENDS
            std::vector<ValuePtr> items = popToMark();
            if (top()->kind != Kind::List) fail("APPENDS on " + aKind(top()->kind));
            for (ValuePtr& v : items) top()->items.push_back(std::move(v));
            return;
        }

        // Scalars.
        case 'J': push(makeInt(readLE<int32_t>())); return;   // BININT
        case 'K': push(makeInt(readLE<uint8_t>())); return;   // BININT1
        case 'M': push(makeInt(readLE<uint16_t>())); return;  // BININT2
        case 0x8a: {  // LONG1: little-endian two's complement of n bytes
            const uint8_t n = readLE<uint8_t>();
            if (n > 8) fail("pickle integer of " + std::to_string(n) + " bytes is too large");
            const uint8_t* b = take(n);
            uint64_t u = 0;
            for (size_t k = 0; k < n; ++k) u |= uint64_t(b[k]) << (8 * k);
            if (n > 0 && n < 8 && (b[n - 1] & 0x80)) u |= ~uint64_t(0) << (8 * n);  // sign-extend
            push(makeInt(int64_t(u)));
            return;
        }
        case 'G': {  // BINFLOAT: big-endian IEEE double
            const uint8_t* b = take(8);
            uint64_t u = 0;
            for (size_t k = 0; k < 8; ++k) u = (u << 8) | b[k];
            auto v = make(Kind::Float);
            std::memcpy(&v->f, &u, 8);
            push(v);
            return;
        }
        case 0x88: push(makeInt(1, Kind::Bool)); return;  // NEWTRUE
        case 0x89: push(makeInt(0, Kind::Bool)); return;  // NEWFALSE
        case 'N': push(make(Kind::None)); return;         // NONE

        // Strings and bytes; lengths are checked against the bytes left by take().
        case 'X': push(makeStr(readBytes(readLE<uint32_t>()))); return;                   // BINUNICODE
        case 0x8c: push(makeStr(readBytes(readLE<uint8_t>()))); return;                   // SHORT_BINUNICODE
        case 0x8d: push(makeStr(readBytes(readLE<uint64_t>()))); return;                  // BINUNICODE8
        case 'C': push(makeStr(readBytes(readLE<uint8_t>()), Kind::Bytes)); return;       // SHORT_BINBYTES
        case 'B': push(makeStr(readBytes(readLE<uint32_t>()), Kind::Bytes)); return;      // BINBYTES
        case 0x8e: push(makeStr(readBytes(readLE<uint64_t>()), Kind::Bytes)); return;     // BINBYTES8
        case 'U': push(makeStr(readBytes(readLE<uint8_t>()))); return;                    // SHORT_BINSTRING
        case 'T': {                                                                        // BINSTRING
            const int32_t n = readLE<int32_t>();
            if (n < 0) fail("pickle string has a negative length");
            push(makeStr(readBytes(uint64_t(n))));
            return;
        }

        // Objects.
        case 'Q': push(persistentLoad(pop())); return;  // BINPERSID
        case 'R': reduce(); return;                     // REDUCE
        case 'b': build(); return;                      // BUILD
        case 0x81: {                                    // NEWOBJ: cls.__new__(cls, *args)
            ValuePtr args = pop();
            ValuePtr cls = pop();
            if (cls->kind == Kind::Global && cls->role == Role::InertObject) {  // argparse.Namespace(): skipped
                push(make(Kind::Opaque));
                return;
            }
            const bool dictLike = cls->kind == Kind::Global && (cls->role == Role::OrderedDict || cls->role == Role::DictSubclass);
            if (!dictLike || args->kind != Kind::Tuple || !args->items.empty())
                fail("NEWOBJ is only supported for OrderedDict(), dict subclasses and inert training classes");
            push(make(Kind::Dict));
            return;
        }
        default: break;
    }
    const char* name = opcodeName(op);
    if (name) fail(std::string("unsupported pickle opcode ") + name + " (" + hexByte(op) + ")");
    fail("unknown pickle opcode " + hexByte(op) + ": data.pkl is corrupt or not a pickle");
}

ValuePtr Interpreter::run() {
    while (!stopped_) {
        opStart_ = pos_;
        if (remaining() == 0) fail("pickle ends without STOP (truncated)");
        step(p_[pos_++]);
    }
    return pop();  // like Python: STOP returns the top of the stack
}

NamedTensors Interpreter::toStateDict(const ValuePtr& root) {
    opStart_ = kNoOffset;
    if (root->kind != Kind::Dict) fail("holds " + aKind(root->kind) + ", not a state dict");
    auto allTensors = [](const Value& d) {
        for (const auto& [k, v] : d.entries)
            if (k->kind != Kind::Str || v->kind != Kind::Tensor) return false;
        return true;
    };
    const Value* dict = root.get();
    if (!allTensors(*dict)) {
        // A training checkpoint ({"state_dict": ..., "epoch": ...}): take the nested state dict.
        for (const char* name : {"state_dict", "model_state_dict", "model"}) {
            auto it = dict->index.find(std::string("s") + name);
            if (it == dict->index.end()) continue;
            const Value& nested = *dict->entries[it->second].second;
            if (nested.kind == Kind::Dict && allTensors(nested)) {
                dict = &nested;
                break;
            }
        }
    }
    std::vector<std::pair<std::string, const TensorView*>> views;
    NamedTensors index;  // names and shapes only, for the caller's check
    views.reserve(dict->entries.size());
    index.reserve(dict->entries.size());
    for (const auto& [k, v] : dict->entries) {
        if (k->kind != Kind::Str) fail("state dict has " + aKind(k->kind) + " key; keys must be strings");
        if (v->kind != Kind::Tensor)
            fail("state dict entry '" + k->s + "' is " + aKind(v->kind) + ", not a tensor");
        views.emplace_back(k->s, v->tensor.get());
        index.emplace_back(k->s, TensorData{v->tensor->shape, {}});
    }
    // Bounded before anything is read: the output may exceed the distinct storages it views
    // (tied weights, zero strides) only by the expansion budget, so 40 views of one 64 MiB storage
    // cannot ask for 2.5 GB; and in total it stays within the element limit.
    // The caller's check first (the model's names and shapes): the most telling reason.
    if (checkIndex_) checkIndex_(index);
    // Every storage a tensor reads must be as large as the pickle declares it: checked against
    // the record sizes the archive's directory gives, before anything is read.
    if (storageSize_) {
        std::unordered_map<std::string, bool> sized;
        for (const auto& [name, view] : views)
            if (view->numel > 0 && sized.emplace(view->storageKey, true).second)
                checkStorageSize(*view, storageSize_(view->storageKey));
    }
    int64_t outputElements = 0, storageElements = 0;
    std::unordered_map<std::string, bool> counted;
    for (const auto& [name, view] : views) {
        // The sums stay below the limits checked after every step (else the load has failed).
        if (__builtin_add_overflow(outputElements, view->numel, &outputElements))
            fail("the state dict's element count overflows (at '" + name + "')");
        if (view->numel > 0 && counted.emplace(view->storageKey, true).second) storageElements += view->storageElements;
        if (outputElements - storageElements > limits_.maxExpandedElements)
            fail("tensors expand their storages by more than " + std::to_string(limits_.maxExpandedElements) +
                 " elements (views sharing one storage, or zero strides; at '" + name + "')");
        if (outputElements > limits_.maxElements)
            fail("the state dict holds more than " + std::to_string(limits_.maxElements) + " elements (at '" + name + "')");
    }
    NamedTensors out;
    materialise(views, out);
    return out;
}

}  // namespace

NamedTensors readStateDictPickle(const uint8_t* pickle, size_t size, const StorageLoader& loadStorage,
                                 const std::string& source, const TensorIndexCheck& checkIndex,
                                 const StorageSizer& storageSize, const PickleLimits& limits) {
    Interpreter interpreter(pickle, size, loadStorage, source, limits, checkIndex, storageSize);
    return interpreter.toStateDict(interpreter.run());
}

}  // namespace s4scope::detail
