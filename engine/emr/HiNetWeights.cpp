// SPDX-License-Identifier: GPL-3.0-or-later
#include "emr/HiNetWeights.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <utility>

namespace medveil {

namespace {

Error malformed(const std::string& what)
{
    return makeError(ErrorKind::BadInput, "not a HiNet weights file this reader understands: " + what);
}

uint32_t le(const Bytes& b, size_t at, int bytes)
{
    uint32_t v = 0;
    for (int i = bytes - 1; i >= 0; --i)
        v = (v << 8) | b[at + size_t(i)];
    return v;
}

/// The stored (uncompressed) entries of a zip, by name: where their bytes start and how many there are.
Result<std::map<std::string, std::pair<size_t, size_t>>> storedEntries(const Bytes& zip)
{
    constexpr size_t kEndRecord = 22;
    if (zip.size() < kEndRecord)
        return malformed("too short for a zip");
    size_t end = zip.size() - kEndRecord;
    const size_t lowest = zip.size() > kEndRecord + 65535 ? zip.size() - kEndRecord - 65535 : 0;
    while (le(zip, end, 4) != 0x06054b50) {
        if (end == lowest)
            return malformed("no zip directory");
        --end;
    }
    const uint32_t count = le(zip, end + 10, 2), size = le(zip, end + 12, 4), offset = le(zip, end + 16, 4);
    if (count == 0xFFFF || offset == 0xFFFFFFFF || size_t(offset) + size > end)
        return malformed("a zip64 or damaged directory");
    std::map<std::string, std::pair<size_t, size_t>> entries;
    size_t at = offset;
    for (uint32_t i = 0; i < count; ++i) {
        if (at + 46 > end || le(zip, at, 4) != 0x02014b50)
            return malformed("a damaged zip directory entry");
        const uint32_t method = le(zip, at + 10, 2), compressed = le(zip, at + 20, 4),
                       plain = le(zip, at + 24, 4), nameLength = le(zip, at + 28, 2),
                       extraLength = le(zip, at + 30, 2), commentLength = le(zip, at + 32, 2),
                       local = le(zip, at + 42, 4);
        if (at + 46 + nameLength > end)
            return malformed("a damaged zip directory entry");
        std::string name(zip.begin() + std::ptrdiff_t(at + 46),
                         zip.begin() + std::ptrdiff_t(at + 46 + nameLength));
        at += 46 + size_t(nameLength) + extraLength + commentLength;
        if (method != 0 || compressed != plain)
            continue; // compressed entries (the code's debug tables) are not needed
        if (size_t(local) + 30 > zip.size() || le(zip, local, 4) != 0x04034b50)
            return malformed("a damaged zip entry");
        const size_t data = size_t(local) + 30 + le(zip, local + 26, 2) + le(zip, local + 28, 2);
        if (data + plain > zip.size())
            return malformed("a truncated zip entry");
        entries[std::move(name)] = {data, plain};
    }
    return entries;
}

/// The values of torch's module pickles: what data.pkl builds before it is flattened into tensors.
struct Value
{
    enum class Kind
    {
        None,
        Bool,
        Int,
        Text,
        Tuple,
        Dict,
        Global,
        Object,
        Storage,
        Tensor,
    };
    Kind kind = Kind::None;
    int64_t number = 0;                        ///< Bool, Int; Storage: element count
    std::string text;                          ///< Text; Global "module name"; Storage key
    std::vector<std::shared_ptr<Value>> items; ///< Tuple
    std::vector<std::pair<std::string, std::shared_ptr<Value>>> entries; ///< Dict, Object's state (text keys)
    HiNetTensor::Type type = HiNetTensor::Type::Float32;                 ///< Storage, Tensor
    std::shared_ptr<Value> storage;                                      ///< Tensor
    int64_t offset = 0;                                                  ///< Tensor: first element in storage
    std::vector<int64_t> sizes, strides;                                 ///< Tensor
};
using ValuePtr = std::shared_ptr<Value>;

ValuePtr make(Value::Kind kind)
{
    auto v = std::make_shared<Value>();
    v->kind = kind;
    return v;
}

Result<std::vector<int64_t>> integers(const Value& tuple)
{
    if (tuple.kind != Value::Kind::Tuple)
        return malformed("a tensor's sizes are not a tuple");
    std::vector<int64_t> out;
    for (const ValuePtr& item : tuple.items) {
        if (item->kind != Value::Kind::Int)
            return malformed("a tensor's size is not an integer");
        out.push_back(item->number);
    }
    return out;
}

/// torch._utils._rebuild_tensor_v2(storage, offset, sizes, strides, requires_grad, hooks).
Result<ValuePtr> rebuildTensor(const Value& args)
{
    if (args.kind != Value::Kind::Tuple || args.items.size() < 4 ||
        args.items[0]->kind != Value::Kind::Storage || args.items[1]->kind != Value::Kind::Int)
        return malformed("unexpected tensor arguments");
    auto tensor = make(Value::Kind::Tensor);
    tensor->storage = args.items[0];
    tensor->type = args.items[0]->type;
    tensor->offset = args.items[1]->number;
    MEDVEIL_ASSIGN_OR_RETURN(tensor->sizes, integers(*args.items[2]));
    MEDVEIL_ASSIGN_OR_RETURN(tensor->strides, integers(*args.items[3]));
    return tensor;
}

/// ('storage', torch.XStorage, key, location, element count).
Result<ValuePtr> persistentStorage(const Value& id)
{
    if (id.kind != Value::Kind::Tuple || id.items.size() != 5 || id.items[0]->kind != Value::Kind::Text ||
        id.items[0]->text != "storage" || id.items[1]->kind != Value::Kind::Global ||
        id.items[2]->kind != Value::Kind::Text || id.items[4]->kind != Value::Kind::Int)
        return malformed("unexpected persistent id");
    auto storage = make(Value::Kind::Storage);
    const std::string& type = id.items[1]->text;
    if (type == "torch FloatStorage")
        storage->type = HiNetTensor::Type::Float32;
    else if (type == "torch DoubleStorage")
        storage->type = HiNetTensor::Type::Float64;
    else if (type == "torch LongStorage")
        storage->type = HiNetTensor::Type::Int64;
    else
        return malformed("storage type " + type);
    storage->text = id.items[2]->text;
    storage->number = id.items[4]->number;
    return storage;
}

/// Runs the subset of pickle protocol 2 that torch writes for a module's attributes.
Result<ValuePtr> unpickle(const uint8_t* p, size_t n)
{
    std::vector<ValuePtr> stack;
    std::vector<size_t> marks;
    std::map<uint32_t, ValuePtr> memo;
    size_t at = 0;
    auto need = [&](size_t bytes) { return at + bytes <= n; };
    auto pop = [&]() -> ValuePtr {
        if (stack.empty() || (!marks.empty() && stack.size() <= marks.back()))
            return nullptr;
        ValuePtr v = std::move(stack.back());
        stack.pop_back();
        return v;
    };
    auto popToMark = [&](std::vector<ValuePtr>& items) {
        if (marks.empty())
            return false;
        items.assign(stack.begin() + std::ptrdiff_t(marks.back()), stack.end());
        stack.resize(marks.back());
        marks.pop_back();
        return true;
    };
    auto read = [&](int bytes) {
        uint32_t v = 0;
        for (int i = bytes - 1; i >= 0; --i)
            v = (v << 8) | p[at + size_t(i)];
        at += size_t(bytes);
        return v;
    };
    while (at < n) {
        const uint8_t op = p[at++];
        switch (op) {
        case 0x80: // PROTO
            if (!need(1))
                return malformed("truncated pickle");
            ++at;
            break;
        case 'c': { // GLOBAL "module\nname\n"
            const auto* moduleEnd = static_cast<const uint8_t*>(std::memchr(p + at, '\n', n - at));
            const auto* nameEnd = moduleEnd ? static_cast<const uint8_t*>(std::memchr(
                                                  moduleEnd + 1, '\n', size_t(p + n - moduleEnd - 1)))
                                            : nullptr;
            if (!nameEnd)
                return malformed("truncated pickle");
            auto global = make(Value::Kind::Global);
            global->text = std::string(p + at, moduleEnd) + " " + std::string(moduleEnd + 1, nameEnd);
            at = size_t(nameEnd + 1 - p);
            stack.push_back(std::move(global));
            break;
        }
        case 'q':   // BINPUT
        case 'r': { // LONG_BINPUT
            const int bytes = op == 'q' ? 1 : 4;
            if (!need(size_t(bytes)) || stack.empty())
                return malformed("truncated pickle");
            memo[read(bytes)] = stack.back();
            break;
        }
        case 'h':   // BINGET
        case 'j': { // LONG_BINGET
            const int bytes = op == 'h' ? 1 : 4;
            if (!need(size_t(bytes)))
                return malformed("truncated pickle");
            const auto found = memo.find(read(bytes));
            if (found == memo.end())
                return malformed("a pickle refers to an unknown object");
            stack.push_back(found->second);
            break;
        }
        case '(': // MARK
            marks.push_back(stack.size());
            break;
        case ')': // EMPTY_TUPLE
            stack.push_back(make(Value::Kind::Tuple));
            break;
        case '}': // EMPTY_DICT
            stack.push_back(make(Value::Kind::Dict));
            break;
        case 'N': // NONE
            stack.push_back(make(Value::Kind::None));
            break;
        case 0x88: // NEWTRUE
        case 0x89: // NEWFALSE
        {
            auto b = make(Value::Kind::Bool);
            b->number = op == 0x88;
            stack.push_back(std::move(b));
            break;
        }
        case 'K': // BININT1
        case 'M': // BININT2
        case 'J': // BININT (signed)
        {
            const int bytes = op == 'K' ? 1 : op == 'M' ? 2 : 4;
            if (!need(size_t(bytes)))
                return malformed("truncated pickle");
            auto i = make(Value::Kind::Int);
            const uint32_t v = read(bytes);
            i->number = op == 'J' ? int64_t(int32_t(v)) : int64_t(v);
            stack.push_back(std::move(i));
            break;
        }
        case 'X': { // BINUNICODE
            if (!need(4))
                return malformed("truncated pickle");
            const uint32_t length = read(4);
            if (!need(length))
                return malformed("truncated pickle");
            auto text = make(Value::Kind::Text);
            text->text.assign(reinterpret_cast<const char*>(p + at), length);
            at += length;
            stack.push_back(std::move(text));
            break;
        }
        case 't': { // TUPLE
            auto tuple = make(Value::Kind::Tuple);
            if (!popToMark(tuple->items))
                return malformed("a tuple without a mark");
            stack.push_back(std::move(tuple));
            break;
        }
        case 0x85: // TUPLE1
        case 0x86: // TUPLE2
        case 0x87: // TUPLE3
        {
            auto tuple = make(Value::Kind::Tuple);
            tuple->items.resize(size_t(op - 0x84));
            for (size_t i = tuple->items.size(); i-- > 0;)
                if (!(tuple->items[i] = pop()))
                    return malformed("a pickle's stack ran out");
            stack.push_back(std::move(tuple));
            break;
        }
        case 'Q': { // BINPERSID
            const ValuePtr id = pop();
            if (!id)
                return malformed("a pickle's stack ran out");
            MEDVEIL_ASSIGN_OR_RETURN(ValuePtr storage, persistentStorage(*id));
            stack.push_back(std::move(storage));
            break;
        }
        case 0x81: { // NEWOBJ cls args: a module of the archive's own classes
            const ValuePtr args = pop(), cls = pop();
            if (!args || !cls || cls->kind != Value::Kind::Global || cls->text.rfind("__torch__", 0) != 0)
                return malformed("an unexpected object");
            stack.push_back(make(Value::Kind::Object));
            break;
        }
        case 'R': { // REDUCE callable args
            const ValuePtr args = pop(), callable = pop();
            if (!args || !callable || callable->kind != Value::Kind::Global)
                return malformed("an unexpected call");
            if (callable->text == "torch._utils _rebuild_tensor_v2") {
                MEDVEIL_ASSIGN_OR_RETURN(ValuePtr tensor, rebuildTensor(*args));
                stack.push_back(std::move(tensor));
            } else if (callable->text == "collections OrderedDict") {
                stack.push_back(make(Value::Kind::Dict));
            } else {
                return malformed("a call of " + callable->text);
            }
            break;
        }
        case 's':   // SETITEM
        case 'u': { // SETITEMS
            std::vector<ValuePtr> items;
            if (op == 'u') {
                if (!popToMark(items))
                    return malformed("items without a mark");
            } else {
                const ValuePtr value = pop(), key = pop();
                if (!value || !key)
                    return malformed("a pickle's stack ran out");
                items = {key, value};
            }
            if (stack.empty() || stack.back()->kind != Value::Kind::Dict || items.size() % 2 != 0)
                return malformed("items for something that is not a dictionary");
            for (size_t i = 0; i < items.size(); i += 2) {
                if (items[i]->kind != Value::Kind::Text)
                    return malformed("a dictionary key that is not text");
                stack.back()->entries.emplace_back(items[i]->text, items[i + 1]);
            }
            break;
        }
        case 'b': { // BUILD object state
            const ValuePtr state = pop();
            if (!state || state->kind != Value::Kind::Dict || stack.empty() ||
                stack.back()->kind != Value::Kind::Object)
                return malformed("an unexpected object state");
            stack.back()->entries = state->entries;
            break;
        }
        case '.': { // STOP
            const ValuePtr result = pop();
            if (!result)
                return malformed("an empty pickle");
            return result;
        }
        default:
            return malformed("pickle opcode " + std::to_string(int(op)));
        }
    }
    return malformed("a pickle without its end");
}

size_t elementSize(HiNetTensor::Type type)
{
    return type == HiNetTensor::Type::Float32 ? 4 : 8;
}

/// Adds the tensors of `object` (an Object: a module) under `prefix`, each copied out of its storage file.
Status flatten(const Value& object, const std::string& prefix, const Bytes& zip,
               const std::map<std::string, std::pair<size_t, size_t>>& entries, const std::string& directory,
               HiNetTensors& out, int depth)
{
    if (depth > 32)
        return malformed("modules nested too deeply");
    for (const auto& [name, value] : object.entries) {
        if (value->kind == Value::Kind::Object) {
            MEDVEIL_TRY(flatten(*value, prefix + name + ".", zip, entries, directory, out, depth + 1));
            continue;
        }
        if (value->kind != Value::Kind::Tensor)
            continue; // "training" and other plain attributes
        const Value& storage = *value->storage;
        const auto file = entries.find(directory + "data/" + storage.text);
        const size_t size = elementSize(value->type);
        if (file == entries.end() || storage.number < 0 ||
            file->second.second != size_t(storage.number) * size)
            return malformed("the storage of " + prefix + name);
        // Only contiguous tensors (what export writes): strides are the row-major ones of the sizes.
        int64_t count = 1;
        for (size_t i = value->sizes.size(); i-- > 0;) {
            if (value->sizes[i] < 0 || i >= value->strides.size() ||
                (value->sizes[i] > 1 && value->strides[i] != count))
                return malformed("the layout of " + prefix + name);
            if (count > (int64_t(1) << 40) / std::max<int64_t>(1, value->sizes[i]))
                return malformed("the size of " + prefix + name);
            count *= value->sizes[i];
        }
        if (value->strides.size() != value->sizes.size() || value->offset < 0 ||
            value->offset + count > storage.number)
            return malformed("the extent of " + prefix + name);
        HiNetTensor tensor;
        tensor.type = value->type;
        tensor.sizes = value->sizes;
        const size_t first = file->second.first + size_t(value->offset) * size;
        tensor.data.assign(zip.begin() + std::ptrdiff_t(first),
                           zip.begin() + std::ptrdiff_t(first + size_t(count) * size));
        out[prefix + name] = std::move(tensor);
    }
    return {};
}

} // namespace

Result<HiNetTensors> readHiNetWeights(const Bytes& file)
{
    MEDVEIL_ASSIGN_OR_RETURN(const auto entries, storedEntries(file));
    // One top directory (the archive's name) holding data.pkl and data/<storage key>.
    std::string directory;
    for (const auto& [name, where] : entries) {
        const size_t slash = name.find('/');
        if (slash != std::string::npos && name.compare(slash, std::string::npos, "/data.pkl") == 0) {
            if (!directory.empty())
                return malformed("two archives in one file");
            directory = name.substr(0, slash + 1);
        }
    }
    if (directory.empty())
        return malformed("no data.pkl");
    const auto& [at, size] = entries.at(directory + "data.pkl");
    MEDVEIL_ASSIGN_OR_RETURN(const ValuePtr root, unpickle(file.data() + at, size));
    if (root->kind != Value::Kind::Object)
        return malformed("the archive does not hold a module");
    HiNetTensors tensors;
    MEDVEIL_TRY(flatten(*root, "", file, entries, directory, tensors, 0));
    if (tensors.empty())
        return malformed("no tensors");
    return tensors;
}

} // namespace medveil
