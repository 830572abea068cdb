namespace Latent.Data;

/// <summary>The element types of the IDX format (third byte of the magic number); all are stored big-endian.</summary>
public enum IdxElementType : byte
{
    /// <summary>0x08: unsigned byte (MNIST pixels and labels).</summary>
    UnsignedByte = 0x08,
    /// <summary>0x09: signed byte.</summary>
    SignedByte = 0x09,
    /// <summary>0x0B: 16-bit signed integer.</summary>
    Int16 = 0x0B,
    /// <summary>0x0C: 32-bit signed integer.</summary>
    Int32 = 0x0C,
    /// <summary>0x0D: 32-bit float.</summary>
    Single = 0x0D,
    /// <summary>0x0E: 64-bit float.</summary>
    Double = 0x0E,
}

internal static class IdxElementTypes
{
    public static bool IsKnown(byte code) => code is 0x08 or 0x09 or 0x0B or 0x0C or 0x0D or 0x0E;

    /// <summary>Bytes per element.</summary>
    public static int Size(this IdxElementType type) => type switch
    {
        IdxElementType.UnsignedByte or IdxElementType.SignedByte => 1,
        IdxElementType.Int16 => 2,
        IdxElementType.Int32 or IdxElementType.Single => 4,
        IdxElementType.Double => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not an IDX element type."),
    };

    public static bool IsInteger(this IdxElementType type) => type is not (IdxElementType.Single or IdxElementType.Double);
}
