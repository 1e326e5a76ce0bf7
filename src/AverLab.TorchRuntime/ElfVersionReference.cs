using System.Text;

namespace AverLab.TorchRuntime;

/// <summary>Sets VER_FLG_WEAK on one version reference (<c>.gnu.version_r</c>) of a little-endian ELF64 library, so
/// glibc loads it where the version is missing. The same algorithm as build/MarkElfVersionWeak.cs, which MSBuild
/// compiles on its own as an inline task (it cannot share a file with an assembly).</summary>
internal static class ElfVersionReference
{
    /// <summary>true = marked now, false = already weak, null = not ELF64 LE or no such reference (<paramref name="error"/>).</summary>
    public static bool? MarkWeak(byte[] b, string version, out string error)
    {
        error = "";
        if (b.Length < 64 || b[0] != 0x7f || b[1] != (byte)'E' || b[2] != (byte)'L' || b[3] != (byte)'F' || b[4] != 2 || b[5] != 1)
        { error = "not a little-endian ELF64 file"; return null; }
        var shoff = BitConverter.ToInt64(b, 0x28);
        int shentsize = BitConverter.ToUInt16(b, 0x3A), shnum = BitConverter.ToUInt16(b, 0x3C);
        for (var i = 0; i < shnum; i++)
        {
            var sh = (int)(shoff + (long)i * shentsize);
            if (BitConverter.ToUInt32(b, sh + 4) != 0x6ffffffe) continue; // SHT_GNU_verneed
            var vn = (int)BitConverter.ToInt64(b, sh + 0x18);
            var link = BitConverter.ToUInt32(b, sh + 0x28);
            var count = BitConverter.ToUInt32(b, sh + 0x2C);
            var strtab = (int)BitConverter.ToInt64(b, (int)(shoff + link * shentsize) + 0x18);
            for (var n = 0; n < count; n++)
            {
                int auxCount = BitConverter.ToUInt16(b, vn + 2);
                var aux = vn + (int)BitConverter.ToUInt32(b, vn + 8);
                for (var a = 0; a < auxCount; a++)
                {
                    var name = strtab + (int)BitConverter.ToUInt32(b, aux + 8);
                    var end = Array.IndexOf(b, (byte)0, name);
                    if (Encoding.ASCII.GetString(b, name, end - name) == version)
                    {
                        var flags = BitConverter.ToUInt16(b, aux + 4);
                        if ((flags & 2) != 0) return false;
                        BitConverter.GetBytes((ushort)(flags | 2)).CopyTo(b, aux + 4);
                        return true;
                    }
                    aux += (int)BitConverter.ToUInt32(b, aux + 12);
                }
                vn += (int)BitConverter.ToUInt32(b, vn + 12);
            }
        }
        error = $"no version reference {version}";
        return null;
    }
}
