using System.Text;
using AverLab.Torch.Serialization;

namespace AverLab.Torch;

public static partial class torch
{
    /// <summary>torch.nn (https://pytorch.org/docs/1.13/nn.html): modules, layers, functional ops and init.</summary>
    public static partial class nn
    {
        /// <summary>Base of every layer and model (torch.nn.Module). Parameters, buffers and submodules are
        /// registered explicitly (no reflection), in order, under PyTorch's names, so state dicts map 1:1.</summary>
        public abstract class Module : IDisposable
        {
            private readonly List<KeyValuePair<string, Parameter?>> parameters_ = new();
            private readonly List<KeyValuePair<string, Tensor?>> buffers_ = new();
            private readonly HashSet<string> nonPersistent = new(StringComparer.Ordinal);
            private readonly List<KeyValuePair<string, Module>> modules_ = new();
            private bool disposed;

            /// <summary>True in training mode (the default), false after <see cref="eval"/>.</summary>
            public bool training { get; private set; } = true;

            /// <summary>The class name shown by the summary, e.g. "Linear".</summary>
            public virtual string GetName()
            {
                var name = GetType().Name;
                var tick = name.IndexOf('`');
                return tick < 0 ? name : name[..tick];
            }

            // ---- registration -------------------------------------------------------------------------------

            private static void CheckName(string name)
            {
                if (string.IsNullOrEmpty(name) || name.Contains('.'))
                    throw new ArgumentException($"a parameter, buffer or module name must be non-empty and contain no \".\", got \"{name}\"");
            }

            private static void Set<T>(List<KeyValuePair<string, T>> list, string name, T value)
            {
                var i = list.FindIndex(kv => kv.Key == name);
                if (i >= 0) list[i] = new(name, value);
                else list.Add(new(name, value));
            }

            /// <summary>Registers (or replaces) a parameter; null registers an absent one (e.g. bias=False).</summary>
            public void register_parameter(string name, Parameter? param)
            {
                CheckName(name);
                if (buffers_.Any(b => b.Key == name) || modules_.Any(m => m.Key == name))
                    throw new ArgumentException($"attribute \"{name}\" already exists as a buffer or module");
                Set(parameters_, name, param);
            }

            /// <summary>Registers a buffer (state that is not learned, e.g. running_mean). The module takes ownership
            /// of the tensor: it leaves any dispose scope and is freed with the module.</summary>
            public void register_buffer(string name, Tensor? tensor, bool persistent = true)
            {
                CheckName(name);
                if (parameters_.Any(p => p.Key == name) || modules_.Any(m => m.Key == name))
                    throw new ArgumentException($"attribute \"{name}\" already exists as a parameter or module");
                tensor?.DetachFromDisposeScope();
                Set(buffers_, name, tensor);
                if (persistent) nonPersistent.Remove(name);
                else nonPersistent.Add(name);
            }

            public void register_module(string name, Module module)
            {
                CheckName(name);
                if (parameters_.Any(p => p.Key == name) || buffers_.Any(b => b.Key == name))
                    throw new ArgumentException($"attribute \"{name}\" already exists as a parameter or buffer");
                Set(modules_, name, module);
            }

            /// <summary>Creates a parameter from <paramref name="data"/>, registers it and returns it. The data tensor
            /// may be disposed afterwards (the parameter shares its storage).</summary>
            protected Parameter? RegisterParameter(string name, Tensor? data)
            {
                if (data is null)
                {
                    register_parameter(name, null);
                    return null;
                }
                var p = new Parameter(data);
                register_parameter(name, p);
                return p;
            }

            /// <summary>Registers a buffer and returns it (typed convenience for constructors).</summary>
            protected Tensor RegisterBuffer(string name, Tensor tensor, bool persistent = true)
            {
                register_buffer(name, tensor, persistent);
                return tensor;
            }

            protected T RegisterModule<T>(string name, T module) where T : Module
            {
                register_module(name, module);
                return module;
            }

            // ---- traversal ----------------------------------------------------------------------------------

            public IEnumerable<(string name, Module module)> named_children() => modules_.Select(kv => (kv.Key, kv.Value));
            public IEnumerable<Module> children() => modules_.Select(kv => kv.Value);

            /// <summary>This module (named "") and all submodules, depth first, each once.</summary>
            public IEnumerable<(string name, Module module)> named_modules()
            {
                var seen = new HashSet<Module>(ReferenceEqualityComparer.Instance);
                return NamedModules("", seen);
            }

            private IEnumerable<(string, Module)> NamedModules(string prefix, HashSet<Module> seen)
            {
                if (!seen.Add(this)) yield break;
                yield return (prefix, this);
                foreach (var (name, m) in modules_)
                    foreach (var x in m.NamedModules(prefix.Length == 0 ? name : prefix + "." + name, seen))
                        yield return x;
            }

            public IEnumerable<Module> modules() => named_modules().Select(m => m.module);

            /// <summary>Parameters with dotted names ("encoder.layers.0.linear1.weight"), each once.</summary>
            public IEnumerable<(string name, Parameter parameter)> named_parameters(bool recurse = true)
            {
                var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
                foreach (var (prefix, m) in recurse ? named_modules() : [("", this)])
                    foreach (var (name, p) in m.parameters_)
                        if (p is not null && seen.Add(p))
                            yield return (prefix.Length == 0 ? name : prefix + "." + name, p);
            }

            public IEnumerable<Parameter> parameters(bool recurse = true) => named_parameters(recurse).Select(p => p.parameter);

            public IEnumerable<(string name, Tensor buffer)> named_buffers(bool recurse = true)
            {
                var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
                foreach (var (prefix, m) in recurse ? named_modules() : [("", this)])
                    foreach (var (name, b) in m.buffers_)
                        if (b is not null && seen.Add(b))
                            yield return (prefix.Length == 0 ? name : prefix + "." + name, b);
            }

            public IEnumerable<Tensor> buffers(bool recurse = true) => named_buffers(recurse).Select(b => b.buffer);

            /// <summary>This module's own parameter by name (null when absent or registered as None).</summary>
            public Parameter? get_parameter(string name)
            {
                var dot = name.LastIndexOf('.');
                var owner = dot < 0 ? this : get_submodule(name[..dot]);
                var leaf = dot < 0 ? name : name[(dot + 1)..];
                return owner.parameters_.FirstOrDefault(p => p.Key == leaf).Value;
            }

            public Module get_submodule(string target)
            {
                var m = this;
                if (target.Length == 0) return m;
                foreach (var part in target.Split('.'))
                {
                    var next = m.modules_.FirstOrDefault(kv => kv.Key == part).Value;
                    m = next ?? throw new ArgumentException($"{m.GetName()} has no submodule \"{part}\" (looking for \"{target}\")");
                }
                return m;
            }

            // ---- modes --------------------------------------------------------------------------------------

            /// <summary>Sets training mode on this module and every submodule (dropout, batch norm react to it).</summary>
            public Module train(bool mode = true)
            {
                foreach (var m in modules()) m.training = mode;
                return this;
            }

            public Module eval() => train(false);

            /// <summary>Sets requires_grad on every parameter (Module.requires_grad_).</summary>
            public Module requires_grad_(bool requires_grad = true)
            {
                foreach (var p in parameters()) p.requires_grad = requires_grad;
                return this;
            }

            /// <summary>Stops gradients for every parameter (transfer learning: train only a new head).</summary>
            public Module freeze() => requires_grad_(false);
            public Module unfreeze() => requires_grad_(true);

            /// <summary>Clears (set_to_none) or zeroes the gradients of every parameter. PyTorch 1.13's default keeps
            /// zero-filled gradients.</summary>
            public void zero_grad(bool set_to_none = false)
            {
                foreach (var p in parameters())
                {
                    if (set_to_none)
                    {
                        p.grad = null;
                        continue;
                    }
                    using var g = p.grad;
                    g?.zero_();
                }
            }

            // ---- device and dtype ---------------------------------------------------------------------------

            /// <summary>Moves parameters and buffers in place: the Parameter objects stay the same (only their native
            /// tensors change), so an optimizer built before the move still updates them. A dtype converts only
            /// floating-point tensors, as in PyTorch.</summary>
            public Module to(Device device, ScalarType? dtype = null)
            {
                Apply(device, dtype);
                return this;
            }

            public Module to(ScalarType dtype)
            {
                Apply(null, dtype);
                return this;
            }

            /// <summary>Module.to(memory_format=...): lays out every 4-D (ChannelsLast) or 5-D (ChannelsLast3d) parameter
            /// and buffer in that format, in place (Parameter objects and their gradients stay attached), as PyTorch's
            /// Module.to converts only the tensors of that rank.</summary>
            public Module to(MemoryFormat memory_format)
            {
                var rank = memory_format switch
                {
                    MemoryFormat.ChannelsLast => 4,
                    MemoryFormat.ChannelsLast3d => 5,
                    MemoryFormat.Contiguous => -1,
                    _ => throw new ArgumentException($"Module.to takes Contiguous, ChannelsLast or ChannelsLast3d, got {memory_format}"),
                };
                using var noGrad = no_grad();
                foreach (var p in parameters()) Relayout(p, memory_format, rank, true);
                foreach (var b in buffers()) Relayout(b, memory_format, rank, false);
                return this;
            }

            private static void Relayout(Tensor t, MemoryFormat format, int rank, bool isParameter)
            {
                if ((rank > 0 && t.dim() != rank) || t.is_contiguous(format)) return;
                var requiresGrad = isParameter && t.requires_grad;
                var grad = isParameter ? t.grad : null;
                Tensor moved;
                using (var detached = t.detach()) moved = detached.contiguous(format).DetachFromDisposeScope();
                t.SwapHandle(moved);
                if (requiresGrad) t.requires_grad = true;
                if (grad is not null)
                {
                    using (grad)
                    using (var g = grad.contiguous(format)) t.grad = g;
                }
            }

            public Module cpu() => to(Device.CPU);
            public Module cuda(int index = -1) => to(new Device(DeviceType.CUDA, index));
            public Module @float() => to(ScalarType.Float32);
            public Module @double() => to(ScalarType.Float64);
            public Module half() => to(ScalarType.Float16);

            private void Apply(Device? device, ScalarType? dtype)
            {
                using var noGrad = no_grad();
                foreach (var p in parameters()) Move(p, device, dtype, true);
                foreach (var b in buffers()) Move(b, device, dtype, false);
            }

            private static void Move(Tensor t, Device? device, ScalarType? dtype, bool isParameter)
            {
                var targetType = dtype.HasValue && t.is_floating_point() ? dtype.Value : t.dtype;
                var targetDevice = device ?? t.device;
                if (targetType == t.dtype && targetDevice.Equals(t.device)) return;
                var requiresGrad = isParameter && t.requires_grad;
                var grad = isParameter ? t.grad : null;
                Tensor moved;
                using (var detached = t.detach()) moved = detached.to(targetDevice, targetType).DetachFromDisposeScope();
                t.SwapHandle(moved);
                if (requiresGrad) t.requires_grad = true;
                if (grad is not null)
                {
                    using (grad)
                    using (var g = grad.to(targetDevice, targetType)) t.grad = g;
                }
            }

            // ---- state dict ---------------------------------------------------------------------------------

            /// <summary>Parameters and persistent buffers by dotted name, in registration order. The values are the
            /// module's own tensors (not copies): read or save them, do not dispose them.</summary>
            public Dictionary<string, Tensor> state_dict()
            {
                var d = new Dictionary<string, Tensor>(StringComparer.Ordinal);
                foreach (var (prefix, m) in named_modules())
                {
                    var pre = prefix.Length == 0 ? "" : prefix + ".";
                    foreach (var (name, p) in m.parameters_)
                        if (p is not null) d.TryAdd(pre + name, p);
                    foreach (var (name, b) in m.buffers_)
                        if (b is not null && !m.nonPersistent.Contains(name)) d.TryAdd(pre + name, b);
                }
                return d;
            }

            /// <summary>Copies values into this module's parameters and buffers (no new objects). Mis-shaped entries are
            /// always an error; missing and unexpected keys are errors when strict. One exception lists every problem.</summary>
            public (IList<string> missing_keys, IList<string> unexpected_keys) load_state_dict(IReadOnlyDictionary<string, Tensor> state_dict, bool strict = true)
            {
                var own = this.state_dict();
                var missing = own.Keys.Where(k => !state_dict.ContainsKey(k)).ToList();
                var unexpected = state_dict.Keys.Where(k => !own.ContainsKey(k)).ToList();
                var misShaped = new List<string>();
                foreach (var (name, t) in own)
                    if (state_dict.TryGetValue(name, out var src) && !src.shape.SequenceEqual(t.shape))
                        misShaped.Add($"size mismatch for {name}: copying a param with shape [{string.Join(", ", src.shape)}] from checkpoint, the shape in current model is [{string.Join(", ", t.shape)}]");
                if (misShaped.Count > 0 || (strict && (missing.Count > 0 || unexpected.Count > 0)))
                    throw new StateDictException(GetName(), strict ? missing : [], strict ? unexpected : [], misShaped);
                using (no_grad())
                    foreach (var (name, t) in own)
                        if (state_dict.TryGetValue(name, out var src)) t.copy_(src);
                return (missing, unexpected);
            }

            // ---- checkpoints --------------------------------------------------------------------------------

            /// <summary>Writes the state dict as safetensors, atomically (temp file + rename).</summary>
            public void save(string path, IReadOnlyDictionary<string, string>? metadata = null) => SafeTensors.Save(path, state_dict(), metadata);

            /// <summary>Loads a safetensors state dict written by <see cref="save"/> or converted from PyTorch. Names,
            /// shapes and dtypes are validated against this module before anything is copied.</summary>
            public Module load(string path, bool strict = true)
            {
                var (entries, _) = SafeTensors.ReadRaw(path);
                var own = state_dict();
                var problems = new List<string>();
                foreach (var (name, t) in own)
                {
                    if (!entries.TryGetValue(name, out var e))
                    {
                        if (strict) problems.Add($"missing key \"{name}\"");
                        continue;
                    }
                    if (!e.Shape.SequenceEqual(t.shape))
                        problems.Add($"\"{name}\" has shape [{string.Join(", ", e.Shape)}] but the module expects [{string.Join(", ", t.shape)}]");
                    var want = SafeTensors.DtypeTag(t.dtype);
                    if (e.Dtype != want) problems.Add($"\"{name}\" has dtype {e.Dtype} but the module expects {want}");
                }
                if (strict)
                    foreach (var name in entries.Keys.Where(k => !own.ContainsKey(k)))
                        problems.Add($"unexpected key \"{name}\"");
                if (problems.Count > 0)
                    throw new SafeTensorsFormatException(path, $"does not match {GetName()}: " + string.Join("; ", problems));
                using var scope = NewDisposeScope();
                using (no_grad())
                    foreach (var (name, t) in own)
                        if (entries.TryGetValue(name, out var e)) t.copy_(SafeTensors.ToTensor(e));
                return this;
            }

            // ---- summary ------------------------------------------------------------------------------------

            /// <summary>The text inside the parentheses of this module's line (PyTorch's extra_repr).</summary>
            public virtual string extra_repr() => "";

            /// <summary>PyTorch's print(model) layout.</summary>
            public override string ToString()
            {
                var sb = new StringBuilder();
                sb.Append(GetName()).Append('(').Append(extra_repr());
                if (modules_.Count > 0)
                {
                    sb.Append('\n');
                    foreach (var (name, m) in modules_)
                        sb.Append("  (").Append(name).Append("): ").Append(m.ToString().Replace("\n", "\n  ")).Append('\n');
                }
                return sb.Append(')').ToString();
            }

            /// <summary>print(model) plus parameter counts (total, trainable, frozen).</summary>
            public string summary()
            {
                long total = 0, trainable = 0;
                foreach (var p in parameters())
                {
                    var n = p.numel();
                    total += n;
                    if (p.requires_grad) trainable += n;
                }
                return $"{this}\nTotal params: {total:N0}\nTrainable params: {trainable:N0}\nNon-trainable params: {total - trainable:N0}";
            }

            // ---- lifetime -----------------------------------------------------------------------------------

            /// <summary>Frees this module's parameters and buffers and disposes its submodules.</summary>
            public void Dispose()
            {
                Dispose(true);
                GC.SuppressFinalize(this);
            }

            protected virtual void Dispose(bool disposing)
            {
                if (disposed) return;
                disposed = true;
                if (!disposing) return;
                foreach (var (_, p) in parameters_) p?.Dispose();
                foreach (var (_, b) in buffers_) b?.Dispose();
                foreach (var (_, m) in modules_) m.Dispose();
            }
        }

        /// <summary>A module with one input and one output: <c>y = module.call(x)</c> or <c>module.forward(x)</c>.</summary>
        public abstract class Module<TIn, TOut> : Module
        {
            public abstract TOut forward(TIn input);

            /// <summary>Runs forward (PyTorch's module(x)).</summary>
            public TOut call(TIn input) => forward(input);
        }
    }
}
