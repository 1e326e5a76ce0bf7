// MSBuild inline task (see TorchSharpNative.targets): sets VER_FLG_WEAK on one version reference of an ELF64 shared
// library when the system's libstdc++ does not define that version. Rewrites the file by copy + rename, so a hard link
// into the NuGet cache is replaced, never written through.
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class MarkElfVersionWeak : Task
{
    [Required] public string Library { get; set; } = "";
    [Required] public string Version { get; set; } = "";

    private static readonly string[] LibStdCxx =
    {
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6",
        "/usr/lib/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
    };

    public override bool Execute()
    {
        var system = Array.Find(LibStdCxx, File.Exists);
        if (system == null) { Log.LogMessage(MessageImportance.Low, "no system libstdc++ found; {0} left as it is", Library); return true; }
        if (Contains(File.ReadAllBytes(system), Encoding.ASCII.GetBytes(Version + "\0")))
        {
            Log.LogMessage(MessageImportance.Low, "{0} defines {1}; {2} left as it is", system, Version, Library);
            return true;
        }
        var bytes = File.ReadAllBytes(Library);
        string error;
        var state = Patch(bytes, Version, out error);
        if (state == null) { Log.LogError("cannot patch {0}: {1}", Library, error); return false; }
        if (state == false) return true; // already weak
        var tmp = Library + ".weak.tmp";
        File.WriteAllBytes(tmp, bytes);
        File.Delete(Library); // breaks a hard link into the NuGet cache instead of writing through it
        File.Move(tmp, Library);
        Log.LogMessage(MessageImportance.High, "AverLab: marked {0} weak in {1} ({2} lacks it)", Version, Path.GetFileName(Library), system);
        return true;
    }

    private static bool Contains(byte[] hay, byte[] needle)
    {
        for (var i = 0; i + needle.Length <= hay.Length; i++)
        {
            var j = 0;
            while (j < needle.Length && hay[i + j] == needle[j]) j++;
            if (j == needle.Length) return true;
        }
        return false;
    }

    /// <summary>true = patched, false = already weak, null = error (not ELF64 LE, or no such version reference).</summary>
    public static bool? Patch(byte[] b, string version, out string error)
    {
        error = "";
        if (b.Length < 64 || b[0] != 0x7f || b[1] != (byte)'E' || b[2] != (byte)'L' || b[3] != (byte)'F' || b[4] != 2 || b[5] != 1)
        { error = "not a little-endian ELF64 file"; return null; }
        long shoff = BitConverter.ToInt64(b, 0x28);
        int shentsize = BitConverter.ToUInt16(b, 0x3A), shnum = BitConverter.ToUInt16(b, 0x3C);
        for (var i = 0; i < shnum; i++)
        {
            var sh = (int)(shoff + (long)i * shentsize);
            if (BitConverter.ToUInt32(b, sh + 4) != 0x6ffffffe) continue; // SHT_GNU_verneed
            var offset = (int)BitConverter.ToInt64(b, sh + 0x18);
            var link = BitConverter.ToUInt32(b, sh + 0x28);
            var count = BitConverter.ToUInt32(b, sh + 0x2C);
            var strtab = (int)BitConverter.ToInt64(b, (int)(shoff + (long)link * shentsize) + 0x18);
            var vn = offset;
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
