using System.Collections;

namespace AverLab.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>Runs modules in order, naming them "0", "1", ... (https://pytorch.org/docs/1.13/generated/torch.nn.Sequential.html).
        /// Intermediate outputs are disposed as soon as the next module has consumed them.</summary>
        public sealed class Sequential : Module<Tensor, Tensor>, IEnumerable<Module<Tensor, Tensor>>
        {
            private readonly List<Module<Tensor, Tensor>> layers = new();

            public Sequential(params Module<Tensor, Tensor>[] modules)
            {
                foreach (var m in modules) append(m);
            }

            /// <summary>Named children, as Sequential(OrderedDict(...)).</summary>
            public Sequential(params (string name, Module<Tensor, Tensor> module)[] modules)
            {
                foreach (var (name, m) in modules)
                {
                    register_module(name, m);
                    layers.Add(m);
                }
            }

            public Sequential append(Module<Tensor, Tensor> module)
            {
                register_module(layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), module);
                layers.Add(module);
                return this;
            }

            public int Count => layers.Count;
            public Module<Tensor, Tensor> this[int index] => layers[index];

            public override Tensor forward(Tensor input)
            {
                var x = input;
                foreach (var layer in layers)
                {
                    var y = layer.forward(x);
                    if (!ReferenceEquals(x, input) && !ReferenceEquals(x, y)) x.Dispose();
                    x = y;
                }
                return ReferenceEquals(x, input) ? input.alias() : x;
            }

            public IEnumerator<Module<Tensor, Tensor>> GetEnumerator() => layers.GetEnumerator();
            IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
        }

        /// <summary>Holds submodules in a list named "0", "1", ... (https://pytorch.org/docs/1.13/generated/torch.nn.ModuleList.html).</summary>
        public sealed class ModuleList<T> : Module, IReadOnlyList<T> where T : Module
        {
            private readonly List<T> items = new();

            public ModuleList(params T[] modules)
            {
                foreach (var m in modules) append(m);
            }

            public ModuleList<T> append(T module)
            {
                register_module(items.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), module);
                items.Add(module);
                return this;
            }

            public int Count => items.Count;
            public T this[int index] => items[index];
            public IEnumerator<T> GetEnumerator() => items.GetEnumerator();
            IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
        }

        /// <summary>A ModuleList of any module type.</summary>
        public sealed class ModuleList : Module, IReadOnlyList<Module>
        {
            private readonly List<Module> items = new();

            public ModuleList(params Module[] modules)
            {
                foreach (var m in modules) append(m);
            }

            public ModuleList append(Module module)
            {
                register_module(items.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), module);
                items.Add(module);
                return this;
            }

            public int Count => items.Count;
            public Module this[int index] => items[index];
            public IEnumerator<Module> GetEnumerator() => items.GetEnumerator();
            IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
        }

        /// <summary>Holds submodules by name, in insertion order (https://pytorch.org/docs/1.13/generated/torch.nn.ModuleDict.html).</summary>
        public sealed class ModuleDict<T> : Module, IEnumerable<(string name, T module)> where T : Module
        {
            private readonly List<(string, T)> items = new();

            public ModuleDict(params (string name, T module)[] modules)
            {
                foreach (var (name, m) in modules) Add(name, m);
            }

            public void Add(string name, T module)
            {
                register_module(name, module);
                var i = items.FindIndex(x => x.Item1 == name);
                if (i >= 0) items[i] = (name, module);
                else items.Add((name, module));
            }

            public T this[string name] =>
                items.FirstOrDefault(x => x.Item1 == name).Item2 ?? throw new KeyNotFoundException($"ModuleDict has no module \"{name}\"");

            public bool ContainsKey(string name) => items.Any(x => x.Item1 == name);
            public IEnumerable<string> keys() => items.Select(x => x.Item1);
            public int Count => items.Count;
            public IEnumerator<(string name, T module)> GetEnumerator() => items.GetEnumerator();
            IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
        }
    }
}
